using System.Text;

namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// An RFC 4180 CSV reader over a <see cref="TextReader"/>, one record at a time: quoted fields may hold commas,
/// line breaks and doubled quotes; CRLF and LF both end a record. Memory is bounded by the longest record.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[8192];
    private int _length;
    private int _position;

    /// <summary>The next record's fields, or null at the end of the input.</summary>
    public async ValueTask<IReadOnlyList<string>?> ReadRecordAsync(CancellationToken cancellationToken = default)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        var any = false;
        while (true)
        {
            var next = await ReadAsync(cancellationToken);
            if (next < 0)
            {
                if (!any)
                {
                    return null;
                }

                fields.Add(field.ToString());
                return fields;
            }

            any = true;
            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (await PeekAsync(cancellationToken) == '"')
                    {
                        await ReadAsync(cancellationToken);
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r':
                    if (await PeekAsync(cancellationToken) == '\n')
                    {
                        await ReadAsync(cancellationToken);
                    }

                    fields.Add(field.ToString());
                    return fields;
                case '\n':
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
    }

    private async ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        if (_position == _length && !await FillAsync(cancellationToken))
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (_position == _length && !await FillAsync(cancellationToken))
        {
            return -1;
        }

        return _buffer[_position];
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        return _length > 0;
    }
}
