from django.apps import AppConfig


class SolidarityClubConfig(AppConfig):
    name = "solidarityclub"
    verbose_name = "Solidarity Club site"
