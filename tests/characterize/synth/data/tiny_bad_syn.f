tiny_sram_sp.v
tiny_bad.v
