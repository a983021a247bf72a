using System.Text;

namespace Redis.Generators;

/// <summary>
/// Escapes text from the spec (summaries, tokens, syntax) for an XML documentation comment: the doc
/// fragments of the model are XML text, which the emitter writes after <c>///</c> unchanged.
/// </summary>
internal static class DocText
{
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '\r':
                case '\n': builder.Append(' '); break;
                default: builder.Append(c < ' ' ? ' ' : c); break;
            }
        }
        return builder.ToString();
    }
}
