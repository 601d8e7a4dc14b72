"""Answers to notebook 06's exercises: wrong ones must fail their check, alternatives must pass.

Names start with their issue-25 class (see tests/test_exercise_mutants.py). The notebook's own
namespace is there: ``norm`` (scipy.stats), ``K`` (4 generators) and ``BETA`` (0.05).
"""

STEM = "06_mgan"

_VALUE = """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ {pi}
    d_star = p_data / (p_data + p_model)
    c_star = p * {pi} / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * {dx}
    classifier = -{beta} * np.sum({pi} * (p * np.log(c_star)).sum(0) * {dx})
    return float(gan + classifier)
"""

_JSD = """
def generalised_jsd(p, pi, dx):
    mix = (p * {pi}).sum(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float(({pi} * (p * np.log(ratio)).sum(0) * {dx}).sum())
"""

#: exercise function name -> {mutant name: source of the whole function}
MUTANTS: dict[str, dict[str, str]] = {
    "mgan_value": {
        "route: section 1's closed form -log 4 + 2 JSD + beta (H(pi) - JSD_pi)": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    m = 0.5 * (p_data + p_model)
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m) + p_model * np.log(p_model / m)) * dx
    jsd_pi = np.sum(pi * (p * np.log(p / p_model[:, None])).sum(0) * dx)
    entropy = -np.sum(pi * np.log(pi))
    return float(-np.log(4) + 2 * jsd + beta * (entropy - jsd_pi))
""",
        "tol: float32 densities": """
def mgan_value(p_data, p, pi, beta, dx):
    p_data, p, pi = p_data.astype(np.float32), p.astype(np.float32), pi.astype(np.float32)
    p_model = p @ pi
    d_star = p_data / (p_data + p_model)
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum(pi * (p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
        "narrow: dx hard-coded from the visible grid (0.005)": _VALUE.format(
            pi="pi", dx="0.005", beta="beta"
        ),
        "namespace: the parameter cell's BETA instead of the argument": _VALUE.format(
            pi="pi", dx="dx", beta="BETA"
        ),
        "wrong: sign of the classifier term flipped": _VALUE.format(pi="pi", dx="dx", beta="-beta"),
        "narrow: pi ignored (uniform weights assumed)": """
def mgan_value(p_data, p, pi, beta, dx):
    k = p.shape[1]
    p_model = p.mean(1)
    d_star = p_data / (p_data + p_model)
    c_star = p / p.sum(1, keepdims=True)
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum((p * np.log(c_star)).sum(0) * dx) / k
    return float(gan + classifier)
""",
        "wrong: classifier term not weighted by pi_k": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p_model)
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum((p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
        "wrong: constants dropped (2 JSD - beta JSD_pi)": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    m = 0.5 * (p_data + p_model)
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m) + p_model * np.log(p_model / m)) * dx
    jsd_pi = np.sum(pi * (p * np.log(p / p_model[:, None])).sum(0) * dx)
    return float(2 * jsd - beta * jsd_pi)
""",
        "wrong: D* against the unweighted sum of the generators": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p.sum(1))
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log(p_model / (p_data + p_model))) * dx
    classifier = -beta * np.sum(pi * (p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
        "wrong: log(1 - D*) through log1p (still -inf where D* rounds to 1)": """
def mgan_value(p_data, p, pi, beta, dx):
    p_model = p @ pi
    d_star = p_data / (p_data + p_model)
    c_star = p * pi / p_model[:, None]
    gan = np.sum(p_data * np.log(d_star) + p_model * np.log1p(-d_star)) * dx
    classifier = -beta * np.sum(pi * (p * np.log(c_star)).sum(0) * dx)
    return float(gan + classifier)
""",
    },
    "generalised_jsd": {
        "route: scipy.stats.entropy per generator (renormalises, so dx drops out)": """
from scipy.stats import entropy

def generalised_jsd(p, pi, dx):
    mix = p @ pi
    return float(sum(pi[k] * entropy(p[:, k], mix) for k in range(p.shape[1])))
""",
        "tol: float32 densities": _JSD.format(pi="pi", dx="dx").replace(
            "mix = ", "p = p.astype(np.float32)\n    mix = "
        ),
        "narrow: dx hard-coded from the visible grid (0.001)": _JSD.format(pi="pi", dx="0.001"),
        "namespace: uniform weights over the parameter cell's K generators": _JSD.format(
            pi="np.full(K, 1 / K)", dx="dx"
        ),
        "narrow: pi ignored (uniform weights)": """
def generalised_jsd(p, pi, dx):
    k = p.shape[1]
    mix = p.mean(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float(((p * np.log(ratio)).sum(0) * dx).sum() / k)
""",
        "wrong: weighted mixture, unweighted average of the KLs": """
def generalised_jsd(p, pi, dx):
    k = p.shape[1]
    mix = (p * pi).sum(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float(((p * np.log(ratio)).sum(0) * dx).sum() / k)
""",
        "wrong: unweighted mixture, weighted average of the KLs": """
def generalised_jsd(p, pi, dx):
    mix = p.mean(1, keepdims=True)
    ratio = np.where(p > 0, p / np.where(mix > 0, mix, 1), 1)
    return float((pi * (p * np.log(ratio)).sum(0) * dx).sum())
""",
        "wrong: 0 log 0 not handled": """
def generalised_jsd(p, pi, dx):
    mix = (p * pi).sum(1, keepdims=True)
    return float((pi * (p * np.log(p / mix)).sum(0) * dx).sum())
""",
        "wrong: KL the wrong way round": """
def generalised_jsd(p, pi, dx):
    mix = (p * pi).sum(1, keepdims=True)
    ratio = np.where(mix > 0, mix / np.where(p > 0, p, 1e-300), 1)
    return float((pi * (mix * np.log(ratio)).sum(0) * dx).sum())
""",
    },
}

#: exercise function name -> {name: source}: correct answers written differently; each must pass
ALTERNATIVES: dict[str, dict[str, str]] = {
    "mgan_value": {
        "in logs: logaddexp for log(p_data + p_model)": """
def mgan_value(p_data, p, pi, beta, dx):
    log_model = np.log(p @ pi)
    log_data = np.log(p_data)
    log_sum = np.logaddexp(log_data, log_model)
    gan = np.sum(p_data * (log_data - log_sum) + np.exp(log_model) * (log_model - log_sum)) * dx
    log_c = np.log(pi)[None, :] + np.log(p) - log_model[:, None]
    return gan - beta * sum(pi[k] * np.sum(p[:, k] * log_c[:, k]) * dx for k in range(len(pi)))
""",
    },
    "generalised_jsd": {
        "scipy.special.rel_entr (0 log 0 = 0 built in), times dx": """
from scipy.special import rel_entr

def generalised_jsd(p, pi, dx):
    mix = p @ pi
    return float(sum(pi[k] * rel_entr(p[:, k], mix).sum() * dx for k in range(p.shape[1])))
""",
        "the mixture's entropy minus the mean entropy (both by quadrature)": """
def generalised_jsd(p, pi, dx):
    def plogp(q):
        return np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0)
    mix = p @ pi
    # sum_k pi_k sum p_k log p_k - sum mix log mix, the cross terms folding into the mixture
    return float((np.sum(pi * plogp(p).sum(0)) - plogp(mix).sum()) * dx)
""",
    },
}
