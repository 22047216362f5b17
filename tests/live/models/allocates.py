"""A model whose memory grows with its input, like one that expands a large batch:
for [[..., n]] it holds n MiB while it answers. The last element, not the first: the
suite's fresh inputs count up in their first element (hundreds by the end of a run)."""


def predict(inputs):
    held = b"x" * (int(inputs[0][-1]) * 2 ** 20)  # written, so every page counts against the limit
    return [str(sum(x) + 0 * len(held)) for x in inputs]
