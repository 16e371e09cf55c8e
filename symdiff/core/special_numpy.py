"""The NumPy backend's helpers for the special functions (``special``): NumPy has no erf,
gamma or digamma (and SciPy is no dependency), so each is written here in whole-array
operations, as source for generated code: NumPy's names, ``out`` the array written, no
other builtins. Outside the domain the value is nan, as NumPy's own functions give.

erf and erfc: the series erf(a) = 2/sqrt(pi) a exp(-a^2) sum (2a^2)^k/(1*3*...*(2k+1)) (all
terms positive) below |u| = 1.5, the continued fraction of erfc above; gamma and loggamma:
Lanczos (g = 7, 9 terms) with the reflection formula below 1/2; digamma and polygamma: the
math helpers' recurrence, asymptotic series and reflection, on arrays.
"""
from __future__ import annotations

_ERF_PARTS = '''    size = absolute(u)
    near = minimum(size, 1.5)
    square = 2.0 * near * near
    term = ones_like(near)
    total = ones_like(near)
    k = 1
    while k < 40:
        term = term * square / (2 * k + 1)
        total = total + term
        k += 1
    series = 1.1283791670955126 * near * exp(-near * near) * total
    far = maximum(size, 1.5)
    fraction = far + 0.0
    k = 100
    while k > 0:
        fraction = far + 0.5 * k / fraction
        k -= 1
    tail = exp(-far * far) / (1.7724538509055159 * fraction)
'''
ERF_NUMPY_HELPER = '''def erf(u, out):
    """erf: the series below |u| = 1.5, 1 - erfc (a continued fraction) above."""
''' + _ERF_PARTS + '''    value = where(size < 1.5, series, 1.0 - tail)
    copyto(out, where(u < 0.0, -value, value))
    return out
'''
ERFC_NUMPY_HELPER = '''def erfc(u, out):
    """erfc: 1 - erf (a series) below |u| = 1.5, a continued fraction above."""
''' + _ERF_PARTS + '''    value = where(size < 1.5, 1.0 - series, tail)
    copyto(out, where(u < 0.0, 2.0 - value, value))
    return out
'''
_LANCZOS = '''    low = u < 0.5
    shifted = where(low, 1.0 - u, u) - 1.0
    series = full_like(shifted, 0.99999999999980993)
    k = 1.0
    for coefficient in (676.5203681218851, -1259.1392167224028, 771.32342877765313,
                        -176.61502916214059, 12.507343278686905, -0.13857109526572012,
                        9.9843695780195716e-6, 1.5056327351493116e-7):
        series = series + coefficient / (shifted + k)
        k += 1.0
    base = shifted + 7.5
'''
GAMMA_NUMPY_HELPER = '''def gamma(u, out):
    """gamma: Lanczos, and pi/(sin(pi*u) gamma(1 - u)) below 1/2; nan at 0, -1, -2, ..."""
''' + _LANCZOS + '''    half = exp(0.5 * ((shifted + 0.5) * log(base) - base))     # its square overflows to
    value = 2.5066282746310002 * half * half * series          # inf past 171, never nan
    turn = u - 2.0 * floor(0.5 * u)
    pole = low & (u == floor(u))
    value = where(low, pi / (sin(pi * where(low & ~pole, turn, 0.5)) * value), value)
    copyto(out, where(pole, nan, value))
    return out
'''
LOGGAMMA_NUMPY_HELPER = '''def loggamma(u, out):
    """log(gamma(u)) for u > 0: Lanczos, and log(pi/sin(pi*u)) - loggamma(1 - u) below 1/2;
    nan for u <= 0."""
''' + _LANCZOS + '''    value = 0.9189385332046728 + (shifted + 0.5) * log(base) - base + log(
        series)
    inside = where(low & (u > 0.0), u, 0.25)
    value = where(low, log(pi / sin(pi * inside)) - value, value)
    copyto(out, where(u > 0.0, value, nan))
    return out
'''
DIGAMMA_NUMPY_HELPER = '''def digamma(u, out):
    """digamma as the math helper computes it: reflection below 0, the recurrence up to 10,
    the asymptotic series; nan at the poles 0, -1, -2, ..."""
    fraction = u - floor(u + 0.5)
    low = u <= 0.0
    pole = low & (fraction == 0.0)
    inside = where(low & ~pole, fraction, 0.25)
    cot = where(absolute(inside) > 0.25, copysign(tan(pi * (0.5 - absolute(inside))), inside),
                1.0 / tan(pi * inside))
    value = where(low, -pi * cot, 0.0)
    v = where(pole, 1.0, where(low, 1.0 - u, u))
    small = v < 10.0
    while count_nonzero(small):
        value = value - where(small, 1.0 / v, 0.0)
        v = where(small, v + 1.0, v)
        small = v < 10.0
    inverse = 1.0 / (v * v)
    series = zeros_like(v)
    for coefficient in (-26.456212121212122, 3.0539543302701198, -0.4432598039215686,
                        0.08333333333333333, -0.021092796092796094, 0.007575757575757576,
                        -0.004166666666666667, 0.003968253968253968, -0.008333333333333333,
                        0.08333333333333333):
        series = series * inverse + coefficient
    value = value + log(v) - 0.5 / v - series * inverse
    copyto(out, where(pole, nan, value))
    return out
'''
POLYGAMMA_NUMPY_HELPER = '''def polygamma(n, u, out):
    """polygamma as the math helper computes it, for each order in n: reflection below 0,
    the recurrence up to 20 + n, the asymptotic series; nan at the poles and for an order
    that is not a nonnegative integer."""
    copyto(out, nan)
    fraction = u - floor(u + 0.5)
    low = u <= 0.0
    pole = low & (fraction == 0.0)
    inside = where(low & ~pole, fraction, 0.25)
    cot = where(absolute(inside) > 0.25, copysign(tan(pi * (0.5 - absolute(inside))), inside),
                1.0 / tan(pi * inside))
    start = where(pole, 1.0, where(low, 1.0 - u, u))
    for order in unique(n):
        if order < 0.0 or order != floor(order):
            continue
        coefficients, size, k = [0.0, 1.0], 2, 0
        while k < order:
            derived = [0.0] * (size + 1)
            j = 1
            while j < size:
                derived[j - 1] -= j * coefficients[j]
                derived[j + 1] -= j * coefficients[j]
                j += 1
            coefficients, size, k = derived, size + 1, k + 1
        slope, j = zeros_like(cot), size - 1
        while j >= 0:
            slope = slope * cot + coefficients[j]
            j -= 1
        reflected = where(low, -pi ** (order + 1) * slope, 0.0)
        factor = where(low, -1.0 if order % 2 else 1.0, 1.0)
        v, tail = start, zeros_like(start)
        small = v < 20.0 + order
        while count_nonzero(small):
            tail = tail + where(small, power(v, -(order + 1)), 0.0)
            v = where(small, v + 1.0, v)
            small = v < 20.0 + order
        inverse = 1.0 / (v * v)
        if order == 0:
            series = zeros_like(v)
            for coefficient in (-26.456212121212122, 3.0539543302701198, -0.4432598039215686,
                                0.08333333333333333, -0.021092796092796094,
                                0.007575757575757576, -0.004166666666666667,
                                0.003968253968253968, -0.008333333333333333,
                                0.08333333333333333):
                series = series * inverse + coefficient
            value = log(v) - 0.5 / v - series * inverse - tail
        else:
            scale, j, whole = 1.0 / v, 1, 1.0
            while j < order:
                scale = scale * (j / v)
                whole *= j
                j += 1
            whole *= order
            bracket, rising, step, k = 1.0 + order / (2.0 * v), 1.0, 1.0, 0
            for coefficient in (0.08333333333333333, -0.001388888888888889,
                                3.306878306878307e-05, -8.267195767195768e-07,
                                2.08767569878681e-08, -5.284190138687493e-10,
                                1.3382536530684679e-11, -3.3896802963225827e-13,
                                8.586062056277845e-15, -2.174868698558062e-16):
                rising *= (order + 2 * k) * (order + 2 * k + 1)
                step = step * inverse
                bracket = bracket + coefficient * rising * step
                k += 1
            sign = 1.0 if order % 2 else -1.0
            value = sign * (scale * bracket + whole * tail)
        copyto(out, where(pole, nan, reflected + factor * value), where=(n == order))
    return out
'''
