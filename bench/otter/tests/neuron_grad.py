OK_FORMAT = True

test = {
    "name": "neuron_grad",
    "points": 1,
    "suites": [
        {
            "cases": [
                {
                    "code": ">>> import numpy as np\n"
                    ">>> w, b, x = np.array([1.0, 2.0]), 0.5, np.array([3.0, -1.0])\n"
                    ">>> dw, db = neuron_grad(w, b, x)\n"
                    ">>> bool(np.allclose(dw, x)) and float(db) == 1.0\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> w, b, x = np.array([1.0, 2.0]), -10.0, np.array([3.0, -1.0])\n"
                    ">>> dw, db = neuron_grad(w, b, x)\n"
                    ">>> bool(np.allclose(dw, 0.0)) and float(db) == 0.0\n"
                    "True",
                    "hidden": False,
                    "locked": False,
                },
                {
                    "code": ">>> import numpy as np\n"
                    ">>> rng = np.random.default_rng(1)\n"
                    ">>> w, x = rng.normal(size=4), rng.normal(size=4)\n"
                    ">>> b = 1.0 - float(w @ x)\n"
                    ">>> dw, db = neuron_grad(w, b, x)\n"
                    ">>> bool(np.allclose(dw, x)) and float(db) == 1.0\n"
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
