# Spanish, written the site's one way (solidarityclub/times.py): full names, a 24-hour
# clock — "jueves, 3 de diciembre de 2026 · 18:00 PST".
DATE_FORMAT = r"l, j \d\e F \d\e Y"
DATETIME_FORMAT = r"l, j \d\e F \d\e Y · H:i T"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
