using System.Buffers.Text;

namespace Redis;

/// <summary>
/// Finds the keys of a command from its key specs, as the server's <c>getKeysUsingKeySpecs</c> does:
/// index or keyword begin_search, range or keynum find_keys (EVAL, ZUNIONSTORE, LMPOP, XREAD ... STREAMS,
/// MSET's key/value steps). Allocation-free: key positions go into the caller's span.
/// </summary>
internal static class KeyFinder
{
    /// <summary>What <see cref="Find"/> found.</summary>
    public enum Outcome
    {
        /// <summary>The positions are complete.</summary>
        Found,

        /// <summary>Some key spec cannot be evaluated from the arguments (unknown or incomplete spec, e.g. SORT ... BY/GET/STORE, MIGRATE ... KEYS): ask the server (COMMAND GETKEYS).</summary>
        NeedsServer,

        /// <summary>The arguments do not fit the spec (a bad key count, too few arguments); the server will refuse the command.</summary>
        Invalid,
    }

    /// <summary>
    /// Writes the argument indexes of <paramref name="info"/>'s keys in <paramref name="args"/> into
    /// <paramref name="keys"/> (at least <see cref="CommandArgs.Count"/> long) in spec order, and their count
    /// into <paramref name="count"/>. <paramref name="includeNotKeys"/> also returns <c>not_key</c> arguments
    /// that hash like keys (SPUBLISH's shard channel).
    /// </summary>
    public static Outcome Find(CommandInfo info, scoped in CommandArgs args, Span<int> keys, bool includeNotKeys, out int count)
    {
        count = 0;
        int argc = args.Count;
        bool needsServer = false;
        foreach (KeySpec spec in info.KeySpecs)
        {
            if (!includeNotKeys && (spec.Flags & KeySpecFlags.NotKey) != 0) continue;
            if (spec.IsUnknown)
            {
                // SORT's BY/GET patterns and STORE: only the server can tell, and only when the options are there.
                needsServer = true;
                continue;
            }
            bool incomplete = (spec.Flags & KeySpecFlags.Incomplete) != 0;
            int first;
            if (spec.BeginSearch == KeyBeginSearch.Index)
            {
                first = spec.Index;
            }
            else
            {
                first = FindKeyword(args, spec);
                if (first == 0) continue; // keyword absent: no keys from this spec
            }

            int last, step;
            if (spec.Find == KeyFind.Range)
            {
                step = spec.KeyStep;
                if (spec.LastKey >= 0) last = first + spec.LastKey;
                else if (spec.Limit == 0) last = argc + spec.LastKey;
                else last = first + ((argc - first) / spec.Limit + spec.LastKey);
            }
            else
            {
                step = spec.KeyStep;
                int countIndex = first + spec.KeyNumIndex;
                if (countIndex >= argc) return Outcome.Invalid;
                if (!Utf8Parser.TryParse(args[countIndex], out long numKeys, out int consumed) || consumed != args[countIndex].Length || numKeys < 0 || numKeys > argc)
                {
                    return Outcome.Invalid;
                }
                first += spec.FirstKey;
                last = first + (int)numKeys - 1;
            }
            if (step <= 0) step = 1;
            for (int i = first; i <= last; i += step)
            {
                if (i >= argc || i < first)
                {
                    if (incomplete) break;
                    return Outcome.Invalid;
                }
                keys[count++] = i;
            }
            if (incomplete) needsServer = true;
        }
        return needsServer ? Outcome.NeedsServer : Outcome.Found;
    }

    // The index of the first key after the spec's keyword, or 0 when the keyword is absent.
    private static int FindKeyword(scoped in CommandArgs args, KeySpec spec)
    {
        int argc = args.Count;
        int start = spec.Index > 0 ? spec.Index : argc + spec.Index;
        int end = spec.Index > 0 ? argc - 1 : 0;
        ReadOnlySpan<char> keyword = spec.Keyword;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1)
        {
            if (i >= argc || i < 0) break;
            if (System.Text.Ascii.EqualsIgnoreCase(args[i], keyword)) return i + 1;
        }
        return 0;
    }
}
