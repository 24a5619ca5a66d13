# What Django itself writes (the admin's read-only dates, `|date` with a named format)
# follows the site's one way of writing a time (solidarityclub/times.py): full names,
# a 24-hour clock, never "p.m.".
DATE_FORMAT = "l, F j, Y"
DATETIME_FORMAT = "l, F j, Y · H:i T"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
