"""symdiff: exact symbolic derivatives of formulas, fast and safe on large or untrusted input.

    >>> import symdiff
    >>> f = symdiff.parse("x^2*y + y + 2")
    >>> print(f.gradient("x"), "|", f.gradient("y"))
    2*x*y | x^2 + 1
    >>> f.gradient("x").evaluate(x=3, y=4)
    24.0
"""
from .verify.check import CheckReport, check
from .codegen.compile import CompiledFunction, lambdify, to_python_source
from .codegen.c_source import to_c_source
from .calculus.diff import derivative, diff, gradient, hessian, jacobian, jvp, vjp
from .calculus.results import Matrix, Vector
from .interop.sympy_bridge import ConversionError, from_sympy, to_sympy
from .calculus.mechanics import derivative_by, euler_lagrange, substitute_function, total_derivative
from .core.undefined import AppliedFunction, UndefinedFunction, function
from .numeric.dual import Dual, evaluate_dual
from .core.errors import (EvaluationError, NumberRangeError, ParseError, SymdiffError,
                          UndefinedError)
from .teaching.explain import Explanation, explain
from .teaching.drawing import to_dot
from .core.nodes import E, PI, Add, Const, Constant, Expr, Mul, Pow, Var
# Every declared function's class and Python spelling (Sin, sin, Max, max...), FUNCTIONS,
# Function, FunctionSpec, sqrt, div: made from the declarations, so listed by core.functions.
from .core.functions import *  # noqa: F403
from .core.functions import __all__ as _FUNCTION_NAMES
from .numeric.define import define_function
from .numeric.model import read_program
from .syntax.program import Program
from .numeric.finite import gradient_fd, hessian_fd
from .core.walk import free_vars, node_count, topological
from .numeric.evaluate import evaluate
from .syntax.parser import parse
from .printing.latex import to_latex
from .printing.text import to_text
from .rewriting.strategies import Budget, Result, RewriteStep, bottom_up, rewrite, sequence, top_down
from .rewriting.strategies import StopReason
from .rewriting.rule import Rule, RuleError, Transform, load_rules, parse_rule, parse_rules
from .rewriting.simplify import simplify, simplify_result
from .teaching.steps import DerivationStep, derivation_steps
from .numeric.tape import gradient_at, vjp_at
from .version import __version__


pi, e = PI, E

__all__ = [
    "parse", "read_program", "Program", "diff", "derivative", "gradient", "hessian", "jacobian", "jvp", "vjp", "evaluate",
    "to_text", "to_latex", "simplify", "simplify_result", "Rule", "Transform", "RuleError",
    "parse_rule", "parse_rules", "load_rules", "rewrite", "bottom_up", "top_down", "sequence",
    "Budget", "Result", "RewriteStep", "node_count", "free_vars", "topological", "Expr", "Const", "Var",
    "StopReason",
    "Constant", "Add", "Mul", "Pow",
    "SymdiffError", "ParseError", "EvaluationError", "UndefinedError", "NumberRangeError", "pi", "e", "define_function",
    *(name for name in _FUNCTION_NAMES if name not in ("abs", "max", "min")),
    "check", "CheckReport", "Dual", "evaluate_dual", "gradient_at", "vjp_at", "gradient_fd",
    "hessian_fd", "lambdify", "to_python_source", "to_c_source", "CompiledFunction",
    "Vector", "Matrix", "to_sympy", "from_sympy", "ConversionError",
    "explain", "Explanation", "to_dot", "derivation_steps", "DerivationStep",
    "function", "AppliedFunction", "UndefinedFunction", "substitute_function", "derivative_by",
    "total_derivative", "euler_lagrange",
]
