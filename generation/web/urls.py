from django.urls import path

from . import views

urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/<str:slug>/train/", views.study_train, name="study-train"),
    path("study/models/<uuid:pk>/", views.study_model, name="study-model"),
    path("study/models/<uuid:pk>/practice-sets/", views.practice_set_new, name="study-set-new"),
    path("study/sets/<uuid:pk>/", views.practice_set_page, name="study-set"),
    path("study/vary/", views.vary_page, name="study-vary"),
]
