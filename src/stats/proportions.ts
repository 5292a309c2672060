/**
 * A test for counts of failed requests: Fisher's exact test, one-sided, on the 2×2 table of failed
 * and successful requests of the baseline and of this run (Agresti, "Categorical Data Analysis",
 * section 3.5). Logarithms of factorials keep it exact for millions of requests.
 */

/** Returns ln(n!) for a whole number n. */
function logFactorial(n: number): number {
  return logGamma(n + 1);
}

/** Lanczos approximation of ln Γ(x), accurate to about 1e-13 for x >= 0.5 (Numerical Recipes, 6.1). */
export function logGamma(x: number): number {
  const coefficients = [
    676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.9999999999998099;
  coefficients.forEach((coefficient, index) => {
    sum += coefficient / (z + index + 1);
  });
  const t = z + coefficients.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Returns ln of the hypergeometric probability of `k` failures in the head row. */
function logHypergeometric(
  k: number,
  headTotal: number,
  baseTotal: number,
  failures: number,
): number {
  const total = headTotal + baseTotal;
  return (
    logFactorial(headTotal) -
    logFactorial(k) -
    logFactorial(headTotal - k) +
    (logFactorial(baseTotal) -
      logFactorial(failures - k) -
      logFactorial(baseTotal - failures + k)) -
    (logFactorial(total) - logFactorial(failures) - logFactorial(total - failures))
  );
}

/**
 * Returns the one-sided p-value that this run fails more often than the baseline: the probability,
 * with all failures shared out at random over the requests, of at least `headFailures` in this run.
 */
export function moreFailuresPValue(
  headFailures: number,
  headRequests: number,
  baseFailures: number,
  baseRequests: number,
): number {
  const failures = headFailures + baseFailures;
  const highest = Math.min(failures, headRequests);
  let p = 0;
  for (let k = headFailures; k <= highest; k += 1)
    p += Math.exp(logHypergeometric(k, headRequests, baseRequests, failures));
  return Math.min(1, p);
}
