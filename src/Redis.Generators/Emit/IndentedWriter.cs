using System.Text;

namespace Redis.Generators.Emit;

/// <summary>A StringBuilder that indents with four spaces and always ends lines with <c>\n</c>.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void Line(string text = "")
    {
        if (text.Length > 0 && !text.StartsWith("#", System.StringComparison.Ordinal)) _builder.Append(' ', _depth * 4);
        _builder.Append(text).Append('\n');
    }

    public void Open()
    {
        Line("{");
        _depth++;
    }

    public void Close()
    {
        _depth--;
        Line("}");
    }

    public void Indent() => _depth++;

    public void Unindent() => _depth--;

    public override string ToString() => _builder.ToString();
}
