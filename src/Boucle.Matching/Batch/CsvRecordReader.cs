using System.Text;

namespace Boucle.Matching.Batch;

/// <summary>RFC 4180 reader that also reports the physical line on which each record starts.</summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private int _line = 1;
    private bool _first = true;

    /// <summary>The next record and its starting line, or null at the end of input.</summary>
    public (List<string> Fields, int Line, string? Error)? Read()
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var startLine = _line;
        var inQuotes = false;
        var quotedField = false;
        string? error = null;
        var any = false;
        while (true)
        {
            var ch = reader.Read();
            if (_first)
            {
                _first = false;
                if (ch == '\uFEFF')
                {
                    continue;
                }
            }

            if (ch == -1)
            {
                if (!any)
                {
                    return null;
                }

                if (inQuotes)
                {
                    error = "unterminated quoted field";
                }

                fields.Add(field.ToString());
                return (fields, startLine, error);
            }

            any = true;
            var c = (char)ch;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !quotedField:
                    inQuotes = true;
                    quotedField = true;
                    break;
                case '"':
                    error ??= "stray quote in unquoted field";
                    field.Append(c);
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    fields.Add(field.ToString());
                    return (fields, startLine, error);
                default:
                    field.Append(c);
                    break;
            }
        }
    }
}
