"""Hand counts shared by the kx-vision tests (importable through conftest.py)."""


def block_params(dim, mlp_dim, inner):
    """A pre-norm TransformerEncoder: two norms, q/k/v/out projections, the MLP."""
    norms = 2 * (2 * dim)
    attention = dim * 3 * inner + 3 * inner + inner * dim + dim
    mlp = dim * mlp_dim + mlp_dim + mlp_dim * dim + dim
    return norms + attention + mlp
