def d_ln_x2(x):
    # 1/u * du/dx with u = x^2 ... I think
    return 1 / x**3
