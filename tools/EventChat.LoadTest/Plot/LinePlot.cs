using System.Globalization;

namespace EventChat.LoadTest.Plot;

/// <summary>Renders series as a line plot with axes, gridlines, tick labels, axis titles and a legend.</summary>
public static class LinePlot
{
    private const int Width = 900;
    private const int Height = 560;
    private const int Left = 90;
    private const int Right = 30;
    private const int Top = 50;
    private const int Bottom = 70;
    private static readonly int[] Steps = [1, 2, 5, 10];

    public static Canvas Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series)
    {
        var canvas = new Canvas(Width, Height);
        var points = series.SelectMany(s => s.Points).ToList();
        var (xMin, xMax) = Range(points.Select(p => p.X), includeZero: false);
        var (yMin, yMax) = Range(points.Select(p => p.Y), includeZero: true);
        var xTicks = Ticks(xMin, xMax);
        var yTicks = Ticks(yMin, yMax);
        (xMin, xMax) = (Math.Min(xMin, xTicks[0]), Math.Max(xMax, xTicks[^1]));
        (yMin, yMax) = (Math.Min(yMin, yTicks[0]), Math.Max(yMax, yTicks[^1]));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        int Px(double x) => Left + (int)Math.Round((x - xMin) / (xMax - xMin) * plotWidth);
        int Py(double y) => Top + plotHeight - (int)Math.Round((y - yMin) / (yMax - yMin) * plotHeight);

        foreach (var tick in yTicks)
        {
            var y = Py(tick);
            canvas.Line(Left, y, Left + plotWidth, y, Rgb.Grid);
            canvas.Line(Left - 5, y, Left, y, Rgb.Black);
            var label = Format(tick);
            BitmapFont.Draw(canvas, Left - 8 - BitmapFont.Width(label, 1), y - 3, label, Rgb.Black);
        }

        foreach (var tick in xTicks)
        {
            var x = Px(tick);
            canvas.Line(x, Top, x, Top + plotHeight, Rgb.Grid);
            canvas.Line(x, Top + plotHeight, x, Top + plotHeight + 5, Rgb.Black);
            var label = Format(tick);
            BitmapFont.Draw(canvas, x - (BitmapFont.Width(label, 1) / 2), Top + plotHeight + 10, label, Rgb.Black);
        }

        canvas.Line(Left, Top, Left, Top + plotHeight, Rgb.Black, 2);
        canvas.Line(Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Rgb.Black, 2);
        BitmapFont.Draw(canvas, (Width - BitmapFont.Width(title, 2)) / 2, 15, title, Rgb.Black, 2);
        BitmapFont.Draw(canvas, Left + ((plotWidth - BitmapFont.Width(xLabel, 2)) / 2), Height - 30, xLabel, Rgb.Black, 2);
        BitmapFont.Draw(canvas, 15, Top + ((plotHeight + BitmapFont.Width(yLabel, 2)) / 2), yLabel, Rgb.Black, 2, vertical: true);

        for (var s = 0; s < series.Count; s++)
        {
            var color = Rgb.Series[s % Rgb.Series.Count];
            var sorted = series[s].Points.OrderBy(p => p.X).ToList();
            for (var i = 0; i < sorted.Count; i++)
            {
                var (x, y) = (Px(sorted[i].X), Py(sorted[i].Y));
                canvas.Dot(x, y, color, 6);
                if (i > 0)
                {
                    canvas.Line(Px(sorted[i - 1].X), Py(sorted[i - 1].Y), x, y, color, 2);
                }
            }

            var legendY = Top + 10 + (s * 16);
            var legendX = Left + plotWidth - 10 - BitmapFont.Width(series[s].Name, 1) - 26;
            canvas.Line(legendX, legendY + 3, legendX + 18, legendY + 3, color, 3);
            BitmapFont.Draw(canvas, legendX + 24, legendY, series[s].Name, Rgb.Black);
        }

        return canvas;
    }

    private static (double Min, double Max) Range(IEnumerable<double> values, bool includeZero)
    {
        var list = values.Where(double.IsFinite).ToList();
        var min = list.Count == 0 ? 0 : list.Min();
        var max = list.Count == 0 ? 1 : list.Max();
        if (includeZero)
        {
            min = Math.Min(0, min);
        }

        if (max - min < 1e-9)
        {
            (min, max) = (min - 1, max + 1);
        }

        return (min, max);
    }

    /// <summary>About six ticks at 1, 2 or 5 times a power of ten, covering the range.</summary>
    private static List<double> Ticks(double min, double max)
    {
        var rough = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = Steps.Select(m => m * magnitude).First(s => s >= rough);
        var ticks = new List<double>();
        for (var t = Math.Floor(min / step) * step; t <= max + (step / 2); t += step)
        {
            ticks.Add(Math.Round(t, 10));
        }

        return ticks;
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 10000 ? (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "K"
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
