"""Corpus: correct answers given as formulas instead of functions (sets scalar and jacobians).

The contract ("Symbolic answers" in exercises.md) lets a student answer these with a string, a
list of strings for a vector and a list of lists for a matrix, with plain numbers for constant
entries, `^` as a power and both `log` and `ln` for the natural logarithm.
"""

d_ln_x2 = "2/x"
d_sin_x2 = "2*x*cos(x^2)"
d_ln_sin_x3_sq = "6*x**2*cos(x**3)/sin(x**3)"
d_x_plus_x2 = "1 + 2*x"
d_sin_x_plus_x2 = "cos(x + x**2)*(1 + 2*x)"
d_x_times_x2 = "x**2 + x*(2*x)"

grad_3x2y = ["6*x*y", "3*x^2"]
grad_x2_cos_y = ["2*x", "-sin(y)"]
jacobian_3x2y_2x_y8 = [["6*x*y", "3*x**2"], [2, "8*y**7"]]
jacobian_2x_y3 = [[2, "3*y**2"], [-13, "exp(y)"]]
jacobian_sin_ln = [["2*x*cos(x**2 + y)", "cos(x**2 + y)"], [0, "3/y"]]
d_ln_x2_sin_3x = ["2/x", "3*cos(3*x)"]
