"""Writing the register cell by cell through the Graph workbook API, for when people have it
open in Excel and SharePoint refuses to replace the file (423). Takes the same
``RegisterEdits`` the quick path patches into the XML."""

from o365flow.register.workbook.api import apply_edits, cell_runs, excel_input

__all__ = ["apply_edits", "cell_runs", "excel_input"]
