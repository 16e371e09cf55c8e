"""Text to expressions: the parser of the formula language (grammar in grammar/symdiff.lark)."""
