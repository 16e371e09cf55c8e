"""The JAX and PyTorch backends' helpers, as source text for generated code: the functions
``jax.numpy`` (``jnp``), ``jax.scipy`` (``jsp``) or ``torch`` lack, or compute with another
convention, written in whole-array operations of that namespace only, with no other names
and no builtins. Each is pure (no ``out=``, no in-place writes: JAX arrays are immutable, and
torch's autograd and ``torch.compile`` want functional code), so ``jax.jit``, ``jax.grad``,
``torch.compile`` and ``torch.autograd`` go through them.

Each keeps the math and NumPy helpers' conventions (``elementary``, ``reciprocal``,
``activations``, ``special``, ``piecewise``): atan2 in (-pi, pi], sinc(u) = sin(u)/u,
sech and csch without overflow, acot(0) = pi/2, loggamma undefined below 0, step(0) = 0.
Where a value is undefined the result is nan (or the library's ±inf), as NumPy's is. A
``where`` takes its value from a branch computed on a safe argument (``where(zero, 1.0,
u)``), so that neither branch divides by zero and the derivative stays finite.
"""
from __future__ import annotations

ATAN2_JAX = '''def atan2_angle(y, x):
    """The angle of the point (x, y) in (-pi, pi]: at y = -0.0, x < 0 it is pi, not -pi (a
    test of y itself: XLA folds y + 0.0 to y); 0 at (0, 0). The derivative is arctan2's."""
    angle = jnp.arctan2(y, x)
    return jnp.where((y == 0.0) & (angle < 0.0), angle + 2.0 * jnp.pi, angle)
'''
ATAN2_TORCH = '''def atan2_angle(y, x):
    """The angle of the point (x, y) in (-pi, pi]: at y = -0.0, x < 0 it is pi, not -pi;
    0 at (0, 0). The derivative is atan2's."""
    angle = torch.atan2(y, x)
    return torch.where((y == 0.0) & (angle < 0.0), angle + 2.0 * torch.pi, angle)
'''
CBRT_TORCH = '''def cbrt(u):
    """The real cube root (torch has none): |u|^(1/3) with u's sign, and a Newton step."""
    root = torch.copysign(torch.abs(u) ** (1.0 / 3.0), u)
    keep = (root == 0.0) | (torch.abs(u) > 1e300)
    safe = torch.where(keep, 1.0, root)
    return torch.where(keep, root, root - (root * root * root - u) / (3.0 * safe * safe))
'''
SINC_JAX = '''def sinc(u):
    """sin(u)/u, with sinc(0) = 1 (jnp.sinc is sin(pi*u)/(pi*u))."""
    zero = u == 0.0
    return jnp.where(zero, 1.0, jnp.sin(u) / jnp.where(zero, 1.0, u))
'''
SINC_TORCH = '''def sinc(u):
    """sin(u)/u, with sinc(0) = 1 (torch.sinc is sin(pi*u)/(pi*u))."""
    zero = u == 0.0
    return torch.where(zero, 1.0, torch.sin(u) / torch.where(zero, 1.0, u))
'''
SECH_JAX = '''def sech(u):
    """1/cosh(u) from exp(-|u|): no overflow (sech(1000) is 0.0)."""
    decay = jnp.exp(-jnp.abs(u))
    return 2.0 * decay / (1.0 + decay * decay)
'''
SECH_TORCH = '''def sech(u):
    """1/cosh(u) from exp(-|u|): no overflow (sech(1000) is 0.0)."""
    decay = torch.exp(-torch.abs(u))
    return 2.0 * decay / (1.0 + decay * decay)
'''
CSCH_JAX = '''def csch(u):
    """1/sinh(u), and 2 exp(-|u|) with u's sign past |u| = 700, where sinh overflows."""
    far = jnp.abs(u) > 700.0
    return jnp.where(far, jnp.copysign(2.0 * jnp.exp(-jnp.abs(u)), u),
                     1.0 / jnp.sinh(jnp.where(far, 1.0, u)))
'''
CSCH_TORCH = '''def csch(u):
    """1/sinh(u), and 2 exp(-|u|) with u's sign past |u| = 700, where sinh overflows."""
    far = torch.abs(u) > 700.0
    return torch.where(far, torch.copysign(2.0 * torch.exp(-torch.abs(u)), u),
                       1.0 / torch.sinh(torch.where(far, 1.0, u)))
'''
ACOT_JAX = '''def acot(u):
    """atan(1/u), with acot(0) = pi/2: values in (-pi/2, pi/2]."""
    zero = u == 0.0
    return jnp.where(zero, jnp.pi / 2.0, jnp.arctan(1.0 / jnp.where(zero, 1.0, u)))
'''
ACOT_TORCH = '''def acot(u):
    """atan(1/u), with acot(0) = pi/2: values in (-pi/2, pi/2]."""
    zero = u == 0.0
    return torch.where(zero, torch.pi / 2.0, torch.atan(1.0 / torch.where(zero, 1.0, u)))
'''
SOFTPLUS_TORCH = '''def softplus(u):
    """log(1 + exp(u)) as logaddexp(u, 0): no overflow, and exact past u = 20 (torch's
    softplus returns u there, 2e-9 off)."""
    return torch.logaddexp(u, torch.zeros_like(u))
'''
GAMMA_TORCH = '''def gamma(u):
    """gamma from lgamma (torch has no gamma): exp(lgamma(u)) with gamma's sign, negative
    on (-1, 0), (-3, -2), ...; nan at the poles 0, -1, -2, ..."""
    whole = torch.floor(u)
    pole = (u <= 0.0) & (u == whole)
    value = torch.exp(torch.lgamma(u))
    negative = (u < 0.0) & (torch.remainder(whole, 2.0) == 1.0)
    return torch.where(pole, torch.nan, torch.where(negative, -value, value))
'''
LOGGAMMA_JAX = '''def loggamma(u):
    """log(gamma(u)) for u > 0; nan for u <= 0 (gammaln is log|gamma(u)| there)."""
    return jnp.where(u > 0.0, jsp.special.gammaln(u), jnp.nan)
'''
LOGGAMMA_TORCH = '''def loggamma(u):
    """log(gamma(u)) for u > 0; nan for u <= 0 (lgamma is log|gamma(u)| there)."""
    return torch.where(u > 0.0, torch.lgamma(u), torch.nan)
'''
POLYGAMMA_JAX = '''def polygamma(n, u):
    """polygamma(n, u) for integer orders n (jax.scipy's takes an integer type only): an
    integer order as it is; an array of orders where they are whole, nan elsewhere."""
    n = jnp.asarray(n)
    if jnp.issubdtype(n.dtype, jnp.integer):
        return jsp.special.polygamma(n, u)
    whole = (n >= 0.0) & (n == jnp.floor(n))
    orders = jnp.where(whole, n, 0.0).astype(jnp.int32)
    return jnp.where(whole, jsp.special.polygamma(orders, u), jnp.nan)
'''
POLYGAMMA_TORCH = '''def polygamma(n, u):
    """polygamma(n, u) for integer orders n: torch's takes one int order, and its order 1
    (trigamma) is accurate to 1e-9 only, so that one is the Hurwitz zeta(2, u). A tensor of
    orders: one call per distinct order, nan where an order is not a nonnegative integer."""
    if torch.is_tensor(n):
        n, u = torch.broadcast_tensors(n, u)
        whole = (n >= 0.0) & (n == torch.floor(n))
        orders = torch.unique(torch.where(whole, n, 0.0)).to(torch.int64).tolist()
        value = torch.full_like(u, torch.nan)
    else:
        orders = [n]
    for order in orders:
        if order == 1:
            result = torch.special.zeta(2.0, u)
        else:
            result = torch.special.polygamma(order, u)
        if torch.is_tensor(n):
            value = torch.where(whole & (n == order), result, value)
        else:
            value = result
    return value
'''
STEP_TORCH = '''def step(u):
    """The Heaviside step, with step(0) = 0, in u's dtype (its derivative is 0)."""
    return (u > 0.0).to(u.dtype)
'''
RELU_JAX = '''def relu(u):
    """max(u, 0), whose derivative at 0 is 0 (step(0)), as symdiff's relu' = step."""
    return jnp.where(u > 0.0, u, 0.0)
'''
