"""A trigram index for the name search on PostgreSQL.

The search matches every word anywhere in the name (``search_name LIKE '%word%'``),
which no B-tree index serves: at 100 000 clients each search read the whole table. A
GIN index with ``gin_trgm_ops`` serves such patterns of three or more characters.
``pg_trgm`` is a trusted extension (PostgreSQL 13 and later): the database's owner may
create it. SQLite has no such index; there the search reads the table, which is small.
"""

from django.db import migrations

INDEX = "clients_client_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON clients_client "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
