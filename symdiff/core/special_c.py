"""The C backend's helpers for the special functions (``special``): <math.h> has erf, erfc,
tgamma and lgamma, but no loggamma of symdiff's meaning, no digamma and no polygamma.

Each is C99 source of one ``static double`` function using <math.h> only, the same
computation as ``polygamma_floats`` (the recurrence up to a large argument, the asymptotic
series, the reflection formula below zero), so that the C code and ``evaluate`` agree to
about 1e-15. Where symdiff's float implementation raises, the helper returns NaN: at the
poles 0, -1, -2, ..., for an order that is not a nonnegative integer, and for an order past
170 (n! is past a double there, and the float implementation raises too).
"""
from __future__ import annotations

#: The asymptotic series of digamma: B_2k/(2k) from k = 10 down to 1, Horner's order.
_DIGAMMA_SERIES = """    static const double series_coefficients[10] = {
        -26.456212121212122, 3.0539543302701198, -0.4432598039215686,
        0.08333333333333333, -0.021092796092796094, 0.007575757575757576,
        -0.004166666666666667, 0.003968253968253968, -0.008333333333333333,
        0.08333333333333333};"""

#: cot(pi*r) for the distance r of u <= 0 to the nearest integer (exact): +-tan(pi*(1/2 -
#: |r|)) away from the integers, which is exactly 0 at r = 1/2.
_REFLECTION_COT = """        if (fabs(fraction) > 0.25)
            cot = copysign(tan(3.141592653589793 * (0.5 - fabs(fraction))), fraction);
        else
            cot = 1.0 / tan(3.141592653589793 * fraction);"""

DIGAMMA_C_HELPER = """static double symdiff_digamma(double u)
{
    /* psi(u): reflection below 0, the recurrence up to 10, the asymptotic series */
""" + _DIGAMMA_SERIES + """
    double result = 0.0, inverse, series = 0.0;
    int k;
    if (u <= 0.0) {
        double fraction = u - floor(u + 0.5), cot;
        if (fraction == 0.0)
            return NAN;
""" + _REFLECTION_COT + """
        result = -3.141592653589793 * cot;
        u = 1.0 - u;
    }
    while (u < 10.0) {
        result -= 1.0 / u;
        u += 1.0;
    }
    inverse = 1.0 / (u * u);
    for (k = 0; k < 10; ++k)
        series = series * inverse + series_coefficients[k];
    return result + log(u) - 0.5 / u - series * inverse;
}
"""

POLYGAMMA_C_HELPER = """static double symdiff_polygamma(double n, double u)
{
    /* the n-th derivative of digamma: reflection below 0 (the n-th derivative of cot as a
       polynomial in cot), the recurrence up to 20 + n, the asymptotic series */
""" + _DIGAMMA_SERIES + """
    static const double bernoulli[10] = {
        0.08333333333333333, -0.001388888888888889, 3.306878306878307e-05,
        -8.267195767195768e-07, 2.08767569878681e-08, -5.284190138687493e-10,
        1.3382536530684679e-11, -3.3896802963225827e-13, 8.586062056277845e-15,
        -2.174868698558062e-16};
    double coefficients[174], derived[174];
    double reflected = 0.0, factor = 1.0, sign, tail = 0.0, inverse, value;
    int order, size, j, k;
    if (!(n >= 0.0 && n <= 170.0) || n != floor(n))
        return NAN;
    order = (int)n;
    if (u <= 0.0) {
        double fraction = u - floor(u + 0.5), cot;
        if (fraction == 0.0)
            return NAN;
""" + _REFLECTION_COT + """
        /* P_0(c) = c, P_k+1(c) = -(1 + c^2) P_k'(c) */
        coefficients[0] = 0.0;
        coefficients[1] = 1.0;
        size = 2;
        for (k = 0; k < order; ++k) {
            for (j = 0; j <= size; ++j)
                derived[j] = 0.0;
            for (j = 1; j < size; ++j) {
                derived[j - 1] -= j * coefficients[j];
                derived[j + 1] -= j * coefficients[j];
            }
            ++size;
            for (j = 0; j < size; ++j)
                coefficients[j] = derived[j];
        }
        value = 0.0;
        for (j = size - 1; j >= 0; --j)
            value = value * cot + coefficients[j];
        reflected = -pow(3.141592653589793, order + 1) * value;
        factor = order % 2 ? -1.0 : 1.0;
        u = 1.0 - u;
    }
    sign = order % 2 ? 1.0 : -1.0;
    while (u < 20.0 + order) {
        tail += pow(u, -(order + 1));
        u += 1.0;
    }
    inverse = 1.0 / (u * u);
    if (order == 0) {
        double series = 0.0;
        for (k = 0; k < 10; ++k)
            series = series * inverse + series_coefficients[k];
        value = log(u) - 0.5 / u - series * inverse - tail;
    } else {
        /* (n-1)!/u^n (1 + n/(2u) + sum_k B_2k/(2k)! n(n+1)...(n+2k-1)/u^2k) */
        double scale = 1.0 / u, bracket = 1.0 + order / (2.0 * u), rising = 1.0;
        double power = 1.0, factorial = 1.0;
        for (j = 1; j < order; ++j)
            scale *= j / u;
        for (k = 0; k < 10; ++k) {
            rising *= (order + 2.0 * k) * (order + 2.0 * k + 1.0);
            power *= inverse;
            bracket += bernoulli[k] * rising * power;
        }
        for (j = 2; j <= order; ++j)
            factorial *= j;
        value = sign * (scale * bracket + factorial * tail);
    }
    return reflected + factor * value;
}
"""

LOGGAMMA_C_HELPER = """static double symdiff_loggamma(double u)
{
    /* log(gamma(u)) for u > 0; lgamma is log|gamma(u)| below 0, where this has no value */
    return u > 0.0 ? lgamma(u) : NAN;
}
"""
