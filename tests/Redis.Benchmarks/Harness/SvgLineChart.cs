using System.Globalization;
using System.Text;

namespace Redis.Benchmarks.Harness;

/// <summary>
/// A small SVG line chart (log-scaled axes, one line per series, a legend) for the sweep results: no
/// dependency and no native graphics library, so it renders the same on any machine and the files diff
/// as text.
/// </summary>
internal sealed class SvgLineChart
{
    private const int Width = 760, Height = 440;
    private const int Left = 80, Right = 210, Top = 48, Bottom = 64;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd", "#ff7f0e", "#17becf"];

    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    public required string Title { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }

    /// <summary>The x values to label (and how); the x axis spans them.</summary>
    public required IReadOnlyList<(double X, string Label)> XTicks { get; init; }

    public string? Note { get; init; }

    public void Add(string name, IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count > 0) _series.Add((name, points));
    }

    public string Render()
    {
        double xMin = Math.Log10(XTicks.Min(t => t.X)), xMax = Math.Log10(XTicks.Max(t => t.X));
        double[] ys = [.. _series.SelectMany(s => s.Points).Select(p => p.Y).Where(y => y > 0)];
        double yMin = ys.Length == 0 ? 0 : Math.Floor(Math.Log10(ys.Min()));
        double yMax = ys.Length == 0 ? 1 : Math.Ceiling(Math.Log10(ys.Max()));
        if (yMax <= yMin) yMax = yMin + 1;
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double Px(double x) => Left + (Math.Log10(x) - xMin) / Math.Max(xMax - xMin, 1e-9) * plotWidth;
        double Py(double y) => Top + plotHeight - (Math.Log10(y) - yMin) / (yMax - yMin) * plotHeight;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(Title)}</text>\n"));
        if (Note is not null) svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"40\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">{Escape(Note)}</text>\n"));

        // Grid and y ticks at powers of ten (with 2x and 5x minor lines).
        for (double e = yMin; e <= yMax; e++)
        {
            double y = Py(Math.Pow(10, e));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotWidth:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Escape(FormatCount(Math.Pow(10, e)))}</text>\n"));
            if (e < yMax)
            {
                foreach (double minor in new[] { 2.0, 5.0 })
                {
                    double ym = Py(minor * Math.Pow(10, e));
                    svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{ym:0.#}\" x2=\"{Left + plotWidth:0.#}\" y2=\"{ym:0.#}\" stroke=\"#f0f0f0\"/>\n"));
                }
            }
        }
        foreach ((double x, string label) in XTicks)
        {
            double px = Px(x);
            svg.Append(Invariant($"<line x1=\"{px:0.#}\" y1=\"{Top}\" x2=\"{px:0.#}\" y2=\"{Top + plotHeight:0.#}\" stroke=\"#eee\"/>\n"));
            svg.Append(Invariant($"<text x=\"{px:0.#}\" y=\"{Top + plotHeight + 18:0.#}\" text-anchor=\"middle\">{Escape(label)}</text>\n"));
        }
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth:0.#}\" height=\"{plotHeight:0.#}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + plotWidth / 2:0.#}\" y=\"{Height - 18}\" text-anchor=\"middle\">{Escape(XLabel)}</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18 {Top + plotHeight / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">{Escape(YLabel)}</text>\n"));

        for (int i = 0; i < _series.Count; i++)
        {
            (string name, IReadOnlyList<(double X, double Y)> points) = _series[i];
            string color = Colors[i % Colors.Length];
            var valid = points.Where(p => p.Y > 0).OrderBy(p => p.X).ToArray();
            string path = string.Join(" ", valid.Select(p => Invariant($"{Px(p.X):0.#},{Py(p.Y):0.#}")));
            svg.Append(Invariant($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            foreach ((double x, double y) in valid)
            {
                svg.Append(Invariant($"<circle cx=\"{Px(x):0.#}\" cy=\"{Py(y):0.#}\" r=\"3\" fill=\"{color}\"><title>{Escape(name)}: {Escape(FormatCount(y))}</title></circle>\n"));
            }
            double ly = Top + 10 + i * 20;
            double lx = Left + plotWidth + 12;
            svg.Append(Invariant($"<line x1=\"{lx:0.#}\" y1=\"{ly:0.#}\" x2=\"{lx + 22:0.#}\" y2=\"{ly:0.#}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<text x=\"{lx + 28:0.#}\" y=\"{ly + 4:0.#}\">{Escape(name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>1.2k, 35k, 1.3M...</summary>
    public static string FormatCount(double value) => value switch
    {
        >= 1e6 => Invariant($"{value / 1e6:0.##}M"),
        >= 1e3 => Invariant($"{value / 1e3:0.##}k"),
        >= 1 => Invariant($"{value:0.##}"),
        _ => Invariant($"{value:0.###}"),
    };

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
