"""Name lists for the synthetic region.

Common Finnish, Finland-Swedish and international given names and surnames. They
identify nobody: every synthetic person carries a personal identity code with an
individual number 900-999, a range never given to real people.
"""

from __future__ import annotations

FINNISH_FEMALE: tuple[str, ...] = (
    "Aino", "Anna", "Anne", "Anu", "Eeva", "Elina", "Ella", "Emilia", "Emma",
    "Eveliina", "Hanna", "Heidi", "Helena", "Helmi", "Iida", "Ilona", "Jenni",
    "Johanna", "Julia", "Kaisa", "Katja", "Kirsi", "Krista", "Laura", "Leena",
    "Liisa", "Maria", "Marja", "Merja", "Milla", "Minna", "Niina", "Noora", "Outi",
    "Päivi", "Pirjo", "Riikka", "Riitta", "Sanna", "Sari", "Satu", "Seija", "Sini",
    "Sofia", "Susanna", "Suvi", "Tarja", "Tiina", "Tuula", "Ulla", "Venla",
)
FINNISH_MALE: tuple[str, ...] = (
    "Aleksi", "Antti", "Ari", "Eero", "Eetu", "Esa", "Hannu", "Harri", "Heikki",
    "Ilmari", "Jani", "Janne", "Jari", "Joonas", "Johannes", "Juha", "Juhani",
    "Juho", "Jukka", "Jussi", "Kalle", "Kari", "Lauri", "Markku", "Marko", "Matti",
    "Mika", "Mikael", "Mikko", "Niko", "Olavi", "Onni", "Pasi", "Pekka", "Petri",
    "Reijo", "Sami", "Seppo", "Tapio", "Teemu", "Timo", "Tommi", "Tuomas", "Veeti",
    "Ville", "Väinö",
)
FINNISH_SURNAMES: tuple[str, ...] = (
    "Ahonen", "Alatalo", "Anttila", "Haapala", "Hakala", "Heikkilä", "Hietala",
    "Hirvonen", "Honkala", "Huhtala", "Jylhä", "Kallio", "Kangas", "Kankaanpää",
    "Karvonen", "Kentala", "Kinnunen", "Kivelä", "Korpela", "Korpi", "Koskela",
    "Koski", "Kultalahti", "Laitinen", "Lampinen", "Laurila", "Lehtonen", "Leppälä",
    "Linna", "Luoma", "Mattila", "Myllymäki", "Mäkelä", "Mäki", "Niemi", "Nieminen",
    "Ojala", "Paananen", "Peltokangas", "Peltola", "Pernu", "Pihlajamaa", "Rahkola",
    "Rautio", "Riippa", "Saarela", "Salo", "Salmela", "Salonen", "Sorvisto",
    "Takala", "Tastula", "Torppa", "Tuikka", "Ukkola", "Uusitalo", "Valo",
    "Virkkala", "Ylikangas", "Ylitalo",
)

SWEDISH_FEMALE: tuple[str, ...] = (
    "Alice", "Ann-Sofie", "Annika", "Camilla", "Ebba", "Elin", "Emma", "Frida",
    "Ida", "Jessica", "Johanna", "Linda", "Linnéa", "Malin", "Maria", "Matilda",
    "Nina", "Sara", "Sofia", "Ulrika", "Wilma",
)
SWEDISH_MALE: tuple[str, ...] = (
    "Anders", "Anton", "Axel", "Christer", "Emil", "Erik", "Fredrik", "Henrik",
    "Johan", "Jonas", "Kim", "Lars", "Marcus", "Mats", "Mikael", "Oskar", "Patrik",
    "Stefan", "Tomas", "Viktor",
)
SWEDISH_SURNAMES: tuple[str, ...] = (
    "Backman", "Berg", "Björk", "Enlund", "Forsman", "Granholm", "Hägglund",
    "Holmström", "Klemets", "Lindholm", "Lindqvist", "Nylund", "Nyman", "Östman",
    "Sandvik", "Sjöberg", "Söderström", "Strand", "Westerlund", "Åström",
)

INTERNATIONAL_FEMALE: tuple[str, ...] = (
    "Amina", "Ana", "Anastasia", "Daria", "Fatima", "Grace", "Hodan", "Iryna",
    "Leila", "Mariam", "Nadia", "Olena", "Priya", "Sara", "Svetlana", "Yasmin",
)
INTERNATIONAL_MALE: tuple[str, ...] = (
    "Abdi", "Ahmed", "Ali", "Andrei", "David", "Dmytro", "Hassan", "Ibrahim",
    "John", "Mohammed", "Mustafa", "Oleksandr", "Omar", "Rahim", "Sergei", "Yusuf",
)
INTERNATIONAL_SURNAMES: tuple[str, ...] = (
    "Abdullahi", "Ahmed", "Ali", "Bondarenko", "Hassan", "Hosseini", "Ivanov",
    "Kaya", "Kovalenko", "Kowalski", "Mohamed", "Nguyen", "Petrov", "Popescu",
    "Rahimi", "Shevchenko", "Smith", "Tamm", "Tran", "Yilmaz",
)
