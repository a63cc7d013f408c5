"""URL converters for numbers in paths: ASCII digits within the database's id range, else 404.

Werkzeug's own ``int`` converter matches ``\\d+``, which in Python also matches other scripts'
digits (``/claims/٣``), and accepts numbers of any size: ``/claims/99999999999999999999`` then
overflows SQLite's int64 or PostgreSQL's int32 and answers 500. Here a path number is 1 to 10 ASCII
digits and must fit PostgreSQL's ``integer`` (the smaller of the two ranges); anything else does not
match the route, so the answer is the ordinary 404 page.
"""
from __future__ import annotations

from werkzeug.routing import BaseConverter, Map, ValidationError

from factcheck.digits import plain_digits
from factcheck.views.common import MAX_ID


class BoundedIntConverter(BaseConverter):
    """``<int:n>``: a whole number from ``minimum`` to ``MAX_ID`` written in ASCII digits."""

    regex = r"[0-9]{1,10}"
    weight = 50
    part_isolating = True
    minimum = 0

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        # Routes may still spell Werkzeug's options (``<int(min=1):n>``); only the range is honoured.
        super().__init__(map)
        low = kwargs.get("min")
        self.low = max(self.minimum, int(low)) if isinstance(low, int) else self.minimum

    def to_python(self, value: str) -> int:
        if not plain_digits(value):
            raise ValidationError()
        number = int(value)
        if not self.low <= number <= MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


class IdConverter(BoundedIntConverter):
    """``<id:claim_id>``: a database id, 1 to 2147483647."""

    minimum = 1


CONVERTERS: dict[str, type[BaseConverter]] = {"int": BoundedIntConverter, "id": IdConverter}
