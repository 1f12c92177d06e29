from django.urls import path

from silta.clients import views

urlpatterns = [
    path("clients/new/", views.client_add, name="client-add"),
    path("clients/<uuid:client_id>/correct/", views.client_correct, name="client-correct"),
    path("clients/<uuid:client_id>/move/", views.client_move, name="client-move"),
    path("clients/<uuid:client_id>/deceased/", views.client_deceased, name="client-deceased"),
]
