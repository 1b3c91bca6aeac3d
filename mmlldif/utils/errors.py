class InputError(Exception):
    """Base of the errors in what a user gave: a file, a config key, a
    value. Its message names the thing and says what is wrong with it, so
    the tools print the message alone (``error: ...``), without a
    traceback (:func:`mmlldif.utils.launch.errors_as_messages`).

    Each subclass also derives from the built-in error a caller would
    expect (``ValueError``, ``RuntimeError``, ...).
    """
