"""digamma and polygamma as floats, from the standard library only (the math module has
neither): the recurrence psi(u) = psi(u + 1) - 1/u up to a large argument, the asymptotic
series there (Bernoulli numbers), and the reflection formula below zero.

Each function is written to run as it stands inside generated code too: the math backend's
helper is its source (``inspect.getsource``), so the code uses only math's names, ``abs``
and ``max``, and no other builtins (no ``range``, no ``len``, no ``raise``). A pole or an
order that is not a nonnegative integer fails as math does (ZeroDivisionError, ValueError);
``special.py`` wraps them for the messages symdiff gives. Accurate to about 1e-15 relative
(tests/test_new_functions.py compares them with mpmath.psi at many points), except near a
zero of the result, where the error is about 1e-16 absolute.
"""
from __future__ import annotations

import inspect
from math import copysign, factorial, floor, log, pi, sqrt, tan


def digamma(u):
    """psi(u) = d/du log(gamma(u)): reflection below 0, the recurrence up to 10, then the
    asymptotic series (B_2k/(2k) u^-2k); a pole at 0, -1, -2, ... divides by zero."""
    result = 0.0
    if u <= 0.0:
        fraction = u - floor(u + 0.5)               # exact: the distance to an integer
        if fraction == 0.0:
            return 1.0 / fraction
        if abs(fraction) > 0.25:                    # cot(pi*r) = +-tan(pi*(1/2 - |r|)),
            cot = copysign(tan(pi * (0.5 - abs(fraction))), fraction)   # 0 at r = 1/2
        else:
            cot = 1.0 / tan(pi * fraction)
        result = -pi * cot                          # psi(u) = psi(1 - u) - pi*cot(pi*u)
        u = 1.0 - u
    while u < 10.0:
        result -= 1.0 / u
        u += 1.0
    inverse = 1.0 / (u * u)
    series = 0.0
    for coefficient in (-26.456212121212122, 3.0539543302701198, -0.4432598039215686,
                        0.08333333333333333, -0.021092796092796094, 0.007575757575757576,
                        -0.004166666666666667, 0.003968253968253968, -0.008333333333333333,
                        0.08333333333333333):
        series = series * inverse + coefficient
    return result + log(u) - 0.5 / u - series * inverse


def polygamma(n, u):
    """The n-th derivative of digamma (n a nonnegative integer): reflection below 0 (with
    the n-th derivative of cot as a polynomial in cot), the recurrence
    psi_n(u) = psi_n(u + 1) + (-1)^(n+1) n!/u^(n+1) up to 20 + n, then the asymptotic series."""
    if n < 0 or n != floor(n):
        return sqrt(-1.0)                           # no such order: math's ValueError
    n = floor(n)
    reflected, factor = 0.0, 1.0
    if u <= 0.0:
        fraction = u - floor(u + 0.5)               # exact: the distance to an integer
        if fraction == 0.0:
            return 1.0 / fraction
        # psi_n(u) = (-1)^n psi_n(1 - u) - pi d^n/du^n cot(pi*u); the n-th derivative of
        # cot(v) is P_n(cot(v)), P_0(c) = c and P_k+1(c) = -(1 + c^2) P_k'(c)
        if abs(fraction) > 0.25:
            cot = copysign(tan(pi * (0.5 - abs(fraction))), fraction)
        else:
            cot = 1.0 / tan(pi * fraction)
        coefficients, size, k = [0.0, 1.0], 2, 0
        while k < n:
            derived = [0.0] * (size + 1)
            j = 1
            while j < size:
                derived[j - 1] -= j * coefficients[j]
                derived[j + 1] -= j * coefficients[j]
                j += 1
            coefficients, size, k = derived, size + 1, k + 1
        value, j = 0.0, size - 1
        while j >= 0:
            value = value * cot + coefficients[j]
            j -= 1
        reflected = -pi ** (n + 1) * value
        factor = -1.0 if n % 2 else 1.0
        u = 1.0 - u
    sign = 1.0 if n % 2 else -1.0                   # (-1)^(n+1)
    tail = 0.0
    while u < 20.0 + n:
        tail += u ** -(n + 1)
        u += 1.0
    inverse = 1.0 / (u * u)
    if n == 0:
        series = 0.0
        for coefficient in (-26.456212121212122, 3.0539543302701198, -0.4432598039215686,
                            0.08333333333333333, -0.021092796092796094, 0.007575757575757576,
                            -0.004166666666666667, 0.003968253968253968, -0.008333333333333333,
                            0.08333333333333333):
            series = series * inverse + coefficient
        value = log(u) - 0.5 / u - series * inverse - tail
    else:
        # (n-1)!/u^n (1 + n/(2u) + sum_k B_2k/(2k)! n(n+1)...(n+2k-1)/u^2k)
        scale, j = 1.0 / u, 1
        while j < n:
            scale *= j / u
            j += 1
        bracket, rising, power, k = 1.0 + n / (2.0 * u), 1.0, 1.0, 0
        for coefficient in (0.08333333333333333, -0.001388888888888889, 3.306878306878307e-05,
                            -8.267195767195768e-07, 2.08767569878681e-08,
                            -5.284190138687493e-10, 1.3382536530684679e-11,
                            -3.3896802963225827e-13, 8.586062056277845e-15,
                            -2.174868698558062e-16):
            rising *= (n + 2 * k) * (n + 2 * k + 1)
            power *= inverse
            bracket += coefficient * rising * power
            k += 1
        value = sign * (scale * bracket + factorial(n) * tail)
    return reflected + factor * value


DIGAMMA_HELPER = inspect.getsource(digamma)
POLYGAMMA_HELPER = inspect.getsource(polygamma)
