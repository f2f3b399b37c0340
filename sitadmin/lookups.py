"""`field__any_of=values`: membership in a large set of values, as one array parameter on PostgreSQL.

`field__in` sends one placeholder a value: a 10,000-event batch looking up its ids binds and quotes
10,000 parameters and makes the server parse a statement as long. `field = ANY(…)` sends the values
as one JSON text (encoded in C), read into an array of the column's type so that its index is used.
On other databases (SQLite for `make run`) it is `IN (…)`. Registered on every field by
`SitadminConfig.ready`.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        db_type = self.lhs.output_field.cast_db_type(connection)
        # As JSON, encoded in C: psycopg would write an array parameter item by item in Python.
        array = f"ARRAY(SELECT json_array_elements_text(%s::json))::{db_type}[]"
        return f"{lhs} = ANY({array})", (*lhs_params, json.dumps(values, ensure_ascii=False))
