"""Wrong answers to notebook 06's exercises: each must fail its check."""

STEM = "06_mgan"

#: Source run before the exercise functions (names the notebook imports and they use).
SETUP = """
from scipy.stats import norm
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "mgan_value": {
        "sign of the classifier term flipped": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p_model)
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = beta * np.sum(pi * (p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
        "pi ignored (uniform weights assumed)": """
def mgan_value(p_data, p, pi, beta, dx):
    k = p.shape[1]
    p_model = p.mean(1)
    d_star = p_data / (p_data + p_model)
    c_star = p / p.sum(1, keepdims=True)
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum((p * np.log(c_star)).sum(0) * dx) / k
    return float(gan + classifier)
""",
        "classifier term not weighted by pi_k": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p_model)
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum((p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
        "constants dropped (2 JSD - beta JSD_pi)": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    m = 0.5 * (p_data + p_model)
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m) + p_model * np.log(p_model / m)) * dx
    jsd_pi = np.sum(pi * (p * np.log(p / p_model[:, None])).sum(0) * dx)
    return float(2 * jsd - beta * jsd_pi)
""",
        "D* against the unweighted sum of the generators": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p.sum(1))
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum(pi * (p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
    },
    "generalised_jsd": {
        "pi ignored (uniform weights)": """
def generalised_jsd(p, pi, dx):
    k = p.shape[1]
    mix = p.mean(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float(((p * np.log(ratio)).sum(0) * dx).sum() / k)
""",
        "weighted mixture, unweighted average of the KLs": """
def generalised_jsd(p, pi, dx):
    k = p.shape[1]
    mix = (p * pi).sum(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float(((p * np.log(ratio)).sum(0) * dx).sum() / k)
""",
        "unweighted mixture, weighted average of the KLs": """
def generalised_jsd(p, pi, dx):
    mix = p.mean(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float((pi * (p * np.log(ratio)).sum(0) * dx).sum())
""",
        "0 log 0 not handled": """
def generalised_jsd(p, pi, dx):
    mix = (p * pi).sum(1, keepdims=True)
    return float((pi * (p * np.log(p / mix)).sum(0) * dx).sum())
""",
        "KL the wrong way round": """
def generalised_jsd(p, pi, dx):
    mix = (p * pi).sum(1, keepdims=True)
    ratio = np.where(mix > 0, mix / np.where(p > 0, p, 1e-300), 1)
    return float((pi * (mix * np.log(ratio)).sum(0) * dx).sum())
""",
    },
}
