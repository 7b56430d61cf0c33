"""The quick way to write the register: plan the cells that differ from the file's XML
(``plan``), then patch them into that XML in place (``apply``), every other zip member copied as
it is. Used when the workbook already has the current layout and only values change or rows are
added; anything else goes through ``register.rewrite``.
"""
