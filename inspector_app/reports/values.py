"""Re-export of `inspector_app.forms.display`, where answer printing moved so the CLI and the UI share it
(the report builders in services still import it from here)."""

from __future__ import annotations

from inspector_app.forms.display import LOCAL_ZONE as LOCAL_ZONE
from inspector_app.forms.display import format_date as format_date
from inspector_app.forms.display import format_moment as format_moment
from inspector_app.forms.display import format_number as format_number
from inspector_app.forms.display import format_value as format_value
