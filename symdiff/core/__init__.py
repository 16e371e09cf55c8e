"""The core: nodes and their interning, bounded exact numbers, arithmetic constructors,
function declarations and DAG walks. It imports nothing outside ``core``."""
