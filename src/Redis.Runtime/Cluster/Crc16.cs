namespace Redis;

/// <summary>CRC16-CCITT (XMODEM), the checksum Redis Cluster hashes keys with.</summary>
internal static class Crc16
{
    private static readonly ushort[] s_table = CreateTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (byte b in data) crc = (ushort)((crc << 8) ^ s_table[((crc >> 8) ^ b) & 0xFF]);
        return crc;
    }

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            ushort crc = (ushort)(i << 8);
            for (int bit = 0; bit < 8; bit++) crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
            table[i] = crc;
        }
        return table;
    }
}
