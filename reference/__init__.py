"""Reference answers: pure numpy (and sympy) functions, one module per area of the catalogue.

Seven modules are named after the exercise sets of the contract (`docs/exercises.md`) and hold, under the
exercise's exact name and parameters, the reference answer of each of its exercises; their
`EXERCISES` constant lists those names.  Beside them are the primal functions the derivatives
are of (for finite differences), the symbolic primals (`PRIMALS`, `CATALOGUE_PRIMALS`) and the
catalogue's other rules and worked examples as small functions.

| module        | catalogue                                   |
|---------------|---------------------------------------------|
| `scalar`      | SC, CR-01..CR-05                            |
| `jacobians`   | GJ, CR-06                                   |
| `elementwise` | EW, SE                                      |
| `reductions`  | RD, CR-07, CR-08                            |
| `neuron`      | NA, LF                                      |
| `loss`        | LS, GD                                      |
| `backprop`    | BP, MS-02                                   |
| `misc`        | the rest of MS                              |
| `symbolic`    | `Primal`: a sympy formula and its derivative |

Every function is pure: it neither prints nor reads global state, and it never modifies its
arguments.  At the ReLU kink the references use H(0) = 0 (K3).  Nothing is imported here, so
`import reference` costs nothing; import the module you need.
"""

__all__ = [
    "backprop",
    "elementwise",
    "jacobians",
    "loss",
    "misc",
    "neuron",
    "reductions",
    "scalar",
    "symbolic",
]
