namespace Boucle.Matching.Tests;

public sealed class EvaluationTests
{
    [Theory]
    [InlineData("synergies-dev.csv", "synergies-dev.truth.json", 0.95, 0.88)]
    [InlineData("heldout.csv", "heldout.truth.json", 0.95, 0.88)]
    public void Evaluation_set_scores_as_evaluate_py_would(string csv, string truth, double minRecall, double minMrr)
    {
        var (code, output, err) = Run.Command(Run.DataFile(csv), top: 5);
        Assert.True(code == 0, err);
        var figures = EvalFigures.Compute(Run.Ranked(output), Run.DataFile(truth), top: 5);
        Assert.True(figures.Recall >= minRecall, $"recall@5={figures.Recall:0.00}: {string.Join("; ", figures.Misses)}");
        Assert.True(figures.Mrr >= minMrr, $"mrr={figures.Mrr:0.00}: {string.Join("; ", figures.Misses)}");
        Assert.Equal(figures.NearTotal, figures.NearOk);
        Assert.Equal(0, figures.Forbidden);
    }
}
