class ExportFailed(Exception):
    """An export could not be made on this machine, for a reason an admin can
    fix (a missing font, a renderer that failed); its message says which."""
