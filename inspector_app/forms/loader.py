"""The loading API of checklist definitions; the code is in `forms/definition/` (re-exported here)."""

from inspector_app.forms.definition.load import UnknownFormError as UnknownFormError
from inspector_app.forms.definition.load import definition_files as definition_files
from inspector_app.forms.definition.load import load_all_forms as load_all_forms
from inspector_app.forms.definition.load import load_form_by_id as load_form_by_id
from inspector_app.forms.definition.load import load_form_file as load_form_file
from inspector_app.forms.definition.load import resolve_form_id as resolve_form_id
from inspector_app.forms.definition.problems import FormDefinitionError as FormDefinitionError
from inspector_app.forms.definition.problems import FormProblem as FormProblem
