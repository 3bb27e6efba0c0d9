OK_FORMAT = True

test = {
    "name": "grad_dot",
    "points": 1,
    "suites": [
        {
            "cases": [
                {
                    "code": ">>> import numpy as np\n"
                    ">>> w, x = np.array([1.0, -2.0, 3.0]), np.array([0.5, 4.0, -1.0])\n"
                    ">>> dw, dx = grad_dot(w, x)\n"
                    ">>> bool(np.allclose(dw, x) and np.allclose(dx, w))\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> rng = np.random.default_rng(0)\n"
                    ">>> w, x = rng.normal(size=5), rng.normal(size=5)\n"
                    ">>> dw, dx = grad_dot(w, x)\n"
                    ">>> bool(np.allclose(dw, x) and np.allclose(dx, w))\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> dw, dx = grad_dot(np.array([2.0]), np.array([-3.0]))\n"
                    ">>> (float(dw[0]), float(dx[0]))\n"
                    "(-3.0, 2.0)",
                    "hidden": True,
                    "locked": False,
                },
            ],
            "scored": True,
            "setup": "",
            "teardown": "",
            "type": "doctest",
        }
    ],
}
