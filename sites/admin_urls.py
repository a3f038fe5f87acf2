from django.urls import path

from sites import views

app_name = "sites_municipalities"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
