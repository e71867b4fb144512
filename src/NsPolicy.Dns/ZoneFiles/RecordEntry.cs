// One record entry of a master file (RFC 1035 §5.1): [owner] [TTL] [class] type RDATA, with TTL and
// class in either order, the owner repeated when the entry starts with a blank, RFC 3597
// TYPEnnn/CLASSnnn, and the RDATA read from the lexer's tokens without copying them.
using System.Globalization;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

internal static class RecordEntry
{
    /// <summary>The record the lexer's current entry states, or null after reporting what is wrong with it.</summary>
    public static ResourceRecord? Read(ZoneParseState state, ZoneSource source)
    {
        var file = source.File;
        var lexer = source.Lexer;
        var count = lexer.Count;
        var i = 0;
        DnsName owner;
        if (lexer.LeadingBlank)
        {
            if (state.Owner is null)
            {
                state.Error(file, lexer, lexer[0], "line starts with a blank but there is no previous owner name to repeat");
                return null;
            }

            owner = state.Owner;
        }
        else
        {
            var parsedOwner = state.Name(file, lexer, lexer[0], "owner name");
            if (parsedOwner is null)
            {
                return null;
            }

            owner = parsedOwner;
            i = 1;
        }

        state.Owner = owner;
        uint? ttl = null;
        RecordClass? @class = null;
        while (i < count)
        {
            var token = lexer[i];
            var text = lexer.Span(token);
            if (ttl is null && !token.Quoted && text.Length > 0 && char.IsAsciiDigit(text[0]))
            {
                ttl = state.Ttl(file, token.Quoted, text, token.Line, token.Column);
                if (ttl is null)
                {
                    return null;
                }

                i++;
                continue;
            }

            if (@class is null && !token.Quoted && ZoneParseState.TryParseClass(text, out var c))
            {
                if (c != state.Class)
                {
                    state.Error(file, lexer, token, $"class {c} differs from the zone's class {state.Class}");
                    return null;
                }

                @class = c;
                i++;
                continue;
            }

            break;
        }

        if (i >= count)
        {
            state.Error(file, lexer, lexer[count - 1], "record has no type");
            return null;
        }

        var typeToken = lexer[i];
        if (typeToken.Quoted || !ZoneParseState.TryParseType(lexer.Span(typeToken), out var type))
        {
            state.Error(file, lexer, typeToken, "not a TTL, class or record type");
            return null;
        }

        RData data;
        try
        {
            source.Tokens.First = i + 1;
            data = RData.Parse(type, source.Tokens, state.Origin, state.Names);
        }
        catch (FormatException ex)
        {
            state.Error(file, lexer, i + 1 < count ? lexer[i + 1] : typeToken, ex.Message);
            return null;
        }

        if (data is DelegationSignerRData ds && DsDigest.ExpectedLength(ds.DigestType) is { } length && ds.Digest.Length != length)
        {
            // RFC 4509 §2.2, RFC 6605 §2, RFC 3658 §2.4: the digest type fixes the digest length; BIND rejects others.
            state.Error(file, lexer, i + 1 < count ? lexer[count - 1] : typeToken, string.Create(CultureInfo.InvariantCulture,
                $"{type} digest is {ds.Digest.Length} octets; digest type {(byte)ds.DigestType} needs {length}"));
            return null;
        }

        if (ttl is null)
        {
            ttl = state.DefaultTtl(data);
            if (ttl is null)
            {
                state.Error(file, lexer, typeToken, "record has no TTL and there is no $TTL or earlier TTL to use");
                return null;
            }
        }

        state.LastTtl = ttl;
        return new ResourceRecord(owner, state.Class, ttl.Value, data);
    }
}
