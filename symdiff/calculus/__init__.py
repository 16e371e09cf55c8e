"""Derivatives: local partials read from the function declarations, and the chain rule
applied once, in forward and reverse mode (diff, gradient, hessian, jacobian, jvp, vjp)."""
