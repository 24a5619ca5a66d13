from django.urls import path

from . import views

app_name = "topics"

urlpatterns = [
    path("", views.topics_list, name="list"),
]
