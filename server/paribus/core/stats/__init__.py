"""Noise statistics: is a difference between two results real, is a result above chance?

Pure functions on numbers and numpy arrays (numpy and the standard library only; scipy and
statsmodels check them in the tests). What each module estimates, from what:

- ``proportions``: the binomial standard error of an accuracy-like metric on n dev examples,
  Wilson intervals and bounds, the score test against a level, dev-set sizes for a
  difference to be detectable.
- ``resampling``: the bootstrap over dev examples for metrics without a formula (macro F1,
  balanced accuracy, ROC AUC …), single or paired, seeded and vectorised.
- ``paired``: McNemar's comparison of two runs' accuracies on the same examples.
- ``noise``: adding independent variances (dev sampling, seed spread) with Welch–
  Satterthwaite degrees of freedom, replicate spreads, and what would shrink the noise.
- ``chance_test``: the one-sided test of a result against a chance level.
- ``metrics``: which metric a name means, and metrics from batches of confusion matrices.
- ``distributions``: normal and Student-t quantiles, the exact binomial tail.

Common assumption: dev examples are independent draws from the population the model is meant
for. Duplicated recordings, patients or documents spread over several examples make every
interval here too narrow.
"""
