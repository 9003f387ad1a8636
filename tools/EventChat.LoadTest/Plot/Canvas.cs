namespace EventChat.LoadTest.Plot;

/// <summary>An RGB raster with the few drawing operations a line plot needs.</summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Array.Fill(_pixels, (byte)255);
    }

    public int Width { get; }

    public int Height { get; }

    public void Set(int x, int y, Rgb color)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    public void Line(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        // Bresenham, widened by stamping a small square at each step.
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            Dot(x0, y0, color, thickness);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    public void Dot(int x, int y, Rgb color, int size)
    {
        var half = size / 2;
        for (var i = -half; i < size - half; i++)
        {
            for (var j = -half; j < size - half; j++)
            {
                Set(x + i, y + j, color);
            }
        }
    }

    public void CopyRow(int y, Span<byte> destination) => _pixels.AsSpan(y * Width * 3, Width * 3).CopyTo(destination);
}
