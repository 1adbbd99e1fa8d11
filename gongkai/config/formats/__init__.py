"""The project's date formats (``FORMAT_MODULE_PATH``): one place for how every screen
writes a date."""
