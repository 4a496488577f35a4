from django.urls import path

from . import views

urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/<str:slug>/train/", views.study_train, name="study-train"),
    path("study/models/<uuid:pk>/", views.study_model, name="study-model"),
]
