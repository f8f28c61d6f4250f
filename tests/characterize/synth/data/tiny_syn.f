tiny_sram_sp.v
tiny_top.v
