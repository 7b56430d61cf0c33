"""The thorough way to write the register: load the workbook with openpyxl, bring its layout up
to date (sheets, tables, columns, rules, dropdowns, print setup, the Dashboard), write the rows
that differ, and save. Used for a new register, an older layout, or anything the quick path
(``register.patch``) does not handle.
"""
