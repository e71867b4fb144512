// BIND's $GENERATE directive (BIND 9 ARM, "The $GENERATE Directive"), read and then expanded one
// record at a time as the parser is asked for the next entry, so a large range never sits in memory.
using System.Globalization;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// <c>$GENERATE range lhs [ttl] [class] type rhs</c>: one record per value of the range
/// (<c>start-stop[/step]</c>), with <c>$</c> in lhs and rhs replaced by the value, or by
/// <c>${offset[,width[,base]]}</c> formatted (see <see cref="GenerateTemplate"/>). The rhs is one
/// token (quote data with spaces); its quotes are dropped before it is read as RDATA, as BIND
/// does. Every record is placed at the directive. At most <see cref="MaxGenerated"/> records per directive.
/// </summary>
internal sealed class GenerateRun
{
    /// <summary>The most records one $GENERATE may make: a range beyond it is an error, not a flood.</summary>
    internal const long MaxGenerated = 65536;

    private readonly string _file;
    private readonly TextToken _keyword;
    private readonly TextToken _lhsToken;
    private readonly TextToken _typeToken;
    private readonly TextToken _rhsToken;
    private readonly GenerateTemplate _lhs;
    private readonly GenerateTemplate _rhs;
    private readonly RecordType _type;
    private readonly uint? _ttl;
    private readonly long _stop;
    private readonly long _step;
    private long _value;
    private bool _done;

    private GenerateRun(string file, TextToken[] tokens, int typeIndex, GenerateTemplate lhs, GenerateTemplate rhs, RecordType type, uint? ttl, long start, long stop, long step)
    {
        _file = file;
        _keyword = tokens[0];
        _lhsToken = tokens[2];
        _typeToken = tokens[typeIndex];
        _rhsToken = tokens[typeIndex + 1];
        (_lhs, _rhs, _type, _ttl) = (lhs, rhs, type, ttl);
        (_value, _stop, _step) = (start, stop, step);
    }

    /// <summary>Reads the directive; null after reporting what is wrong with it.</summary>
    public static GenerateRun? Start(ZoneParseState state, string file, TextToken[] tokens)
    {
        if (tokens.Length < 5)
        {
            state.Error(file, tokens[^1], "$GENERATE needs a range, an owner, a type and its data (start-stop[/step] lhs [ttl] [class] type rhs)");
            return null;
        }

        if (!GenerateTemplate.TryParseRange(tokens[1].Text, out var start, out var stop, out var step, out var rangeError))
        {
            state.Error(file, tokens[1], "$GENERATE range " + rangeError);
            return null;
        }

        var count = ((stop - start) / step) + 1;
        if (count > MaxGenerated)
        {
            state.Error(file, tokens[1], string.Create(CultureInfo.InvariantCulture, $"$GENERATE range makes {count} records; at most {MaxGenerated} per directive"));
            return null;
        }

        if (!GenerateTemplate.TryParse(tokens[2].Unquoted, out var lhs, out var lhsError))
        {
            state.Error(file, tokens[2], "$GENERATE owner " + lhsError);
            return null;
        }

        var i = 3;
        uint? ttl = null;
        RecordClass? @class = null;
        for (; i < tokens.Length - 1; i++)
        {
            var text = tokens[i].Text;
            if (ttl is null && !tokens[i].Quoted && text.Length > 0 && char.IsAsciiDigit(text[0]))
            {
                ttl = state.Ttl(file, tokens[i]);
                if (ttl is null)
                {
                    return null;
                }
            }
            else if (@class is null && !tokens[i].Quoted && ZoneParseState.TryParseClass(text, out var c))
            {
                if (c != state.Class)
                {
                    state.Error(file, tokens[i], $"class {c} differs from the zone's class {state.Class}");
                    return null;
                }

                @class = c;
            }
            else
            {
                break;
            }
        }

        var typeToken = tokens[i];
        if (typeToken.Quoted || !ZoneParseState.TryParseType(typeToken.Text, out var type))
        {
            state.Error(file, typeToken, "not a TTL, class or record type");
            return null;
        }

        if (i + 2 != tokens.Length)
        {
            state.Error(file, i + 1 < tokens.Length ? tokens[^1] : typeToken, i + 1 < tokens.Length
                ? "unexpected text after the $GENERATE data (quote data that has spaces, as BIND needs)"
                : "$GENERATE needs the record data after the type");
            return null;
        }

        if (!GenerateTemplate.TryParse(tokens[i + 1].Unquoted, out var rhs, out var rhsError))
        {
            state.Error(file, tokens[i + 1], "$GENERATE data " + rhsError);
            return null;
        }

        return new GenerateRun(file, tokens, i, lhs, rhs, type, ttl, start, stop, step);
    }

    /// <summary>The next generated record; false when the range is done or an error (reported) ended it.</summary>
    public bool Next(ZoneParseState state, out ZoneRecord record)
    {
        record = default;
        if (_done)
        {
            return false;
        }

        var value = _value;
        _done = _stop - value < _step;
        _value = value + _step;
        if (!_lhs.TryExpand(value, out var ownerText, out var expandError) || !_rhs.TryExpand(value, out var dataText, out expandError))
        {
            return Fail(state, _keyword, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: {expandError}"));
        }

        if (!state.Names.TryParse(ownerText, state.Origin, out var owner, out var nameError))
        {
            return Fail(state, _lhsToken, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: owner name '{Excerpt.Of(ownerText)}' is not valid: {nameError}"));
        }

        RData data;
        try
        {
            var lexer = new ZoneLexer(new StringReader(dataText), _file);
            if (!lexer.Next() || lexer.Error is not null)
            {
                throw new FormatException(lexer.Error?.Message ?? "no record data");
            }

            data = RData.Parse(_type, new LexerTokens(lexer), state.Origin, state.Names);
            if (lexer.Next())
            {
                throw new FormatException("the data spans more than one entry");
            }
        }
        catch (FormatException ex)
        {
            return Fail(state, _rhsToken, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: {ex.Message}"));
        }

        var ttl = _ttl ?? state.DefaultTtl(data);
        if (ttl is null)
        {
            return Fail(state, _typeToken, "record has no TTL and there is no $TTL or earlier TTL to use");
        }

        state.LastTtl = ttl;
        record = new ZoneRecord(new ResourceRecord(owner!, state.Class, ttl.Value, data), _file, _keyword.Line, _keyword.Column);
        return true;
    }

    private bool Fail(ZoneParseState state, TextToken at, string message)
    {
        state.Error(_file, at, message);
        _done = true;
        return false;
    }
}
