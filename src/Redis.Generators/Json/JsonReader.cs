using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Redis.Generators.Json;

/// <summary>A JSON syntax error at <see cref="Position"/> (an offset into the text).</summary>
internal sealed class JsonReaderException : Exception
{
    public JsonReaderException(string message, int position) : base(message) => Position = position;

    public int Position { get; }
}

/// <summary>
/// A small JSON reader (RFC 8259, plus <c>//</c> and <c>/* */</c> comments) that keeps every value's
/// position. The generator cannot use System.Text.Json (the compiler host decides which version
/// loads), and the spec is small enough for a hand-written recursive descent.
/// </summary>
internal sealed class JsonReader
{
    private const int MaxDepth = 128;
    private readonly string _text;
    private int _pos;

    private JsonReader(string text) => _text = text;

    /// <summary>Parses a whole document; throws <see cref="JsonReaderException"/> at the first error.</summary>
    public static JsonNode Parse(string text)
    {
        var reader = new JsonReader(text);
        if (text.Length > 0 && text[0] == '\uFEFF') reader._pos = 1;
        reader.SkipTrivia();
        if (reader._pos >= text.Length) throw new JsonReaderException("The file is empty; expected a JSON object", reader._pos);
        JsonNode root = reader.ReadValue(0);
        reader.SkipTrivia();
        if (reader._pos < text.Length) throw new JsonReaderException($"Unexpected '{text[reader._pos]}' after the end of the JSON value", reader._pos);
        return root;
    }

    private JsonNode ReadValue(int depth)
    {
        if (depth > MaxDepth) throw new JsonReaderException($"Nesting deeper than {MaxDepth} levels", _pos);
        if (_pos >= _text.Length) throw new JsonReaderException("Unexpected end of file; expected a value", _pos);
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ReadObject(depth);
            case '[': return ReadArray(depth);
            case '"':
            {
                int start = _pos;
                string value = ReadString();
                return new JsonNode(JsonKind.String, start, _pos, value);
            }
            case 't': return ReadLiteral("true", JsonKind.True);
            case 'f': return ReadLiteral("false", JsonKind.False);
            case 'n': return ReadLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                throw new JsonReaderException($"Unexpected character '{Printable(c)}'; expected a value", _pos);
        }
    }

    private JsonNode ReadObject(int depth)
    {
        int start = _pos++;
        var properties = new List<KeyValuePair<string, JsonNode>>();
        SkipTrivia();
        if (Peek() == '}')
        {
            _pos++;
            return new JsonNode(JsonKind.Object, start, _pos, properties: properties);
        }
        while (true)
        {
            SkipTrivia();
            if (Peek() != '"') throw new JsonReaderException(Peek() == '}' ? "Trailing comma before '}'" : "Expected a property name in double quotes", _pos);
            string name = ReadString();
            SkipTrivia();
            if (Peek() != ':') throw new JsonReaderException($"Expected ':' after the property name \"{name}\"", _pos);
            _pos++;
            SkipTrivia();
            properties.Add(new KeyValuePair<string, JsonNode>(name, ReadValue(depth + 1)));
            SkipTrivia();
            char next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }
            if (next == '}')
            {
                _pos++;
                return new JsonNode(JsonKind.Object, start, _pos, properties: properties);
            }
            throw new JsonReaderException(_pos >= _text.Length ? "Unexpected end of file; expected ',' or '}'" : $"Expected ',' or '}}' but found '{Printable(next)}'", _pos);
        }
    }

    private JsonNode ReadArray(int depth)
    {
        int start = _pos++;
        var items = new List<JsonNode>();
        SkipTrivia();
        if (Peek() == ']')
        {
            _pos++;
            return new JsonNode(JsonKind.Array, start, _pos, items: items);
        }
        while (true)
        {
            SkipTrivia();
            if (Peek() == ']') throw new JsonReaderException("Trailing comma before ']'", _pos);
            items.Add(ReadValue(depth + 1));
            SkipTrivia();
            char next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }
            if (next == ']')
            {
                _pos++;
                return new JsonNode(JsonKind.Array, start, _pos, items: items);
            }
            throw new JsonReaderException(_pos >= _text.Length ? "Unexpected end of file; expected ',' or ']'" : $"Expected ',' or ']' but found '{Printable(next)}'", _pos);
        }
    }

    private string ReadString()
    {
        int open = _pos++;
        StringBuilder? builder = null;
        int runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length) throw new JsonReaderException("Unterminated string", open);
            char c = _text[_pos];
            if (c == '"')
            {
                string result = builder is null
                    ? _text.Substring(runStart, _pos - runStart)
                    : builder.Append(_text, runStart, _pos - runStart).ToString();
                _pos++;
                return result;
            }
            if (c < ' ') throw new JsonReaderException(c == '\n' ? "Unterminated string (line break inside a string)" : "Control character in a string", _pos);
            if (c != '\\')
            {
                _pos++;
                continue;
            }
            builder ??= new StringBuilder();
            builder.Append(_text, runStart, _pos - runStart);
            if (_pos + 1 >= _text.Length) throw new JsonReaderException("Unterminated string", open);
            char escape = _text[_pos + 1];
            _pos += 2;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw new JsonReaderException("Invalid \\u escape: expected four hexadecimal digits", _pos - 2);
                    }
                    builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw new JsonReaderException($"Invalid escape '\\{Printable(escape)}'", _pos - 2);
            }
            runStart = _pos;
        }
    }

    private JsonNode ReadNumber()
    {
        int start = _pos;
        if (Peek() == '-') _pos++;
        if (Peek() == '0')
        {
            _pos++;
        }
        else if (IsDigit(Peek()))
        {
            while (IsDigit(Peek())) _pos++;
        }
        else
        {
            throw new JsonReaderException("Invalid number: expected a digit", _pos);
        }
        if (Peek() == '.')
        {
            _pos++;
            if (!IsDigit(Peek())) throw new JsonReaderException("Invalid number: expected a digit after '.'", _pos);
            while (IsDigit(Peek())) _pos++;
        }
        if (Peek() is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '+' or '-') _pos++;
            if (!IsDigit(Peek())) throw new JsonReaderException("Invalid number: expected a digit in the exponent", _pos);
            while (IsDigit(Peek())) _pos++;
        }
        return new JsonNode(JsonKind.Number, start, _pos, _text.Substring(start, _pos - start));
    }

    private JsonNode ReadLiteral(string literal, JsonKind kind)
    {
        int start = _pos;
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            throw new JsonReaderException($"Unexpected character '{Printable(_text[_pos])}'; expected a value", _pos);
        }
        _pos += literal.Length;
        return new JsonNode(kind, start, _pos);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                int end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0) throw new JsonReaderException("Unterminated comment", _pos);
                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static string Printable(char c) => c < ' ' ? $"\\u{(int)c:X4}" : c.ToString();
}
