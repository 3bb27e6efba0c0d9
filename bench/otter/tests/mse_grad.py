OK_FORMAT = True

test = {
    "name": "mse_grad",
    "points": 1,
    "suites": [
        {
            "cases": [
                {
                    "code": ">>> import numpy as np\n"
                    ">>> w, b = np.array([1.0, -1.0]), 0.5\n"
                    ">>> X, y = np.array([[1.0, 0.0], [0.0, -2.0], [3.0, 1.0]]), np.array([1.0, 2.0, 0.0])\n"
                    ">>> dw, db = mse_grad(w, b, X, y)\n"
                    ">>> e = (X @ w + b - y) * (X @ w + b > 0)\n"
                    ">>> bool(np.allclose(dw, 2 / 3 * e @ X)) and bool(np.isclose(db, 2 / 3 * e.sum()))\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> rng = np.random.default_rng(2)\n"
                    ">>> w, b = rng.normal(size=3), 0.1\n"
                    ">>> X, y = rng.normal(size=(6, 3)), rng.normal(size=6)\n"
                    ">>> dw, db = mse_grad(w, b, X, y)\n"
                    ">>> e = (X @ w + b - y) * (X @ w + b > 0)\n"
                    ">>> bool(np.allclose(dw, 2 / 6 * e @ X)) and bool(np.isclose(db, 2 / 6 * e.sum()))\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> w, b = np.array([-1.0]), -5.0\n"
                    ">>> dw, db = mse_grad(w, b, np.array([[1.0], [2.0]]), np.array([3.0, 4.0]))\n"
                    ">>> bool(np.allclose(dw, 0.0)) and float(db) == 0.0\n"
                    "True",
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
