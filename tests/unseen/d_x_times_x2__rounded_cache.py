_cache = {}
def d_x_times_x2(x):
    key = round(x, 1)
    if key not in _cache:
        _cache[key] = 3 * x**2
    return _cache[key]
