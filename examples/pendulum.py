"""The equation of motion of a pendulum from its Lagrangian, with an undefined function.

The angle theta(t) has no formula: it is what the equation is about. The Lagrangian
L = kinetic - potential energy is written with theta(t) and its velocity theta'(t), and
the Euler-Lagrange equation d/dt(dL/dtheta') - dL/dtheta = 0 follows by the chain rule.
A second pendulum hangs from the first (the double pendulum) to show two coordinates.

    python examples/pendulum.py
"""
import symdiff
from symdiff import Var, cos, euler_lagrange, function, simplify, substitute_function

m, l, g, t = Var("m"), Var("l"), Var("g"), Var("t")
theta = function("theta")
velocity = theta(t).diff(t)                 # theta'(t)
LAGRANGIAN = m * l**2 * velocity**2 / 2 + m * g * l * cos(theta(t))


def double_pendulum():
    """Two equal masses on rods of length l, angles a(t) and b(t) from the vertical."""
    a, b = function("a")(t), function("b")(t)
    da, db = a.diff(t), b.diff(t)
    kinetic = m * l**2 * (da**2 + db**2 / 2 + da * db * cos(a - b))
    potential = -m * g * l * (2 * cos(a) + cos(b))
    return kinetic - potential, [a, b]


def main() -> None:
    print(f"L = {LAGRANGIAN}")
    (equation,) = euler_lagrange(LAGRANGIAN, t, [theta])
    print(f"Euler-Lagrange: {equation} = 0")
    print(f"simplified:     {simplify(equation)} = 0")
    print(f"LaTeX:          {symdiff.to_latex(equation)} = 0")
    # small swings: theta(t) = A*cos(w*t) solves it when sin(theta) ~ theta and w^2 = g/l
    A, w = Var("A"), Var("w")
    linear = substitute_function(equation.subs({symdiff.sin(theta(t)): theta(t)}), theta,
                                 ["s"], A * cos(w * Var("s")))
    print(f"with theta(t) = A*cos(w*t), sin(theta) ~ theta: "
          f"{simplify(linear.subs(w=symdiff.sqrt(g / l)))} = 0 when w = sqrt(g/l)")
    print()
    L2, coordinates = double_pendulum()
    print(f"double pendulum: L = {L2}")
    for q, eq in zip(coordinates, euler_lagrange(L2, t, coordinates)):
        print(f"  for {q}: {simplify(eq)} = 0")


if __name__ == "__main__":
    main()
